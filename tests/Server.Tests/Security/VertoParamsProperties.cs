using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using MediaServer.Calls;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Signalling;

namespace MediaServer.Tests.Security;

/// <summary>
/// The server's typed readers of Verto params (verto.invite/answer/bye/info dialogParams,
/// login, and the string members every handler reads) on generated params objects: each member
/// a value of any JSON type, long, deep, with odd escapes; the frame goes through
/// <see cref="JsonRpcFrame"/> first, as on the wire. No reader throws, and what DialogParams
/// keeps stays inside its limits.
/// </summary>
public sealed class VertoParamsProperties
{
    private static readonly string[] DialogKeys =
        ["callID", "destination_number", "caller_id_name", "caller_id_number", "remote_caller_id_name", "remote_caller_id_number",
         "callee_id_name", "callee_id_number", "useVideo", "useStereo", "screenShare", "recoverCall", "pin", "userVariables"];

    private static readonly string[] ParamKeys = ["login", "passwd", "sessid", "sdp", "eventChannel", "cause", "causeCode", "dtmf", "dialogParams", "data"];

    /// <summary>Scalars that reach every branch of the readers: types, booleans as text, numbers that do not fit, escapes.</summary>
    private static readonly Gen<string> Scalar = Gen.Elements(
        "null", "true", "false", "0", "1", "-1", "2147483648", "1e400", "0.5", "\"\"", "\"true\"", "\"False\"", "\"x\"", "\"1000@localhost\"",
        "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\ud800\"", "\"" + new string('c', 300) + "\"", "\"" + new string('v', 5000) + "\"");

    [Fact]
    public void GeneratedParamsNeverThrow()
    {
        var gen =
            from dialog in Members(DialogKeys)
            from rest in Members(ParamKeys)
            from dialogKind in Gen.Choose(0, 3)
            select "{\"jsonrpc\":\"2.0\",\"method\":\"verto.invite\",\"id\":1,\"params\":{" + string.Join(',', rest.Append(DialogValue(dialogKind, dialog))) + "}}";
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), (string frame) => Probe(frame)));
    }

    private static string DialogValue(int kind, string[] members) => kind switch
    {
        0 => "\"dialogParams\":null",
        1 => "\"dialogParams\":[" + string.Join(',', members.Select(m => "{" + m + "}")) + "]",
        _ => "\"dialogParams\":{" + string.Join(',', members) + "}",
    };

    /// <summary>A random subset of the keys (some twice), each with a scalar or a nested value.</summary>
    private static Gen<string[]> Members(string[] keys) =>
        Gen.ListOf(
            from key in Gen.Elements(keys)
            from value in Gen.OneOf(Scalar, Scalar.Select(s => "[" + s + "," + s + "]"), Scalar.Select(s => "{\"a\":" + s + "}"), Gen.Choose(1, 60).Select(d => new string('[', d) + new string(']', d)))
            select "\"" + key + "\":" + value).Select(list => list.ToArray());

    private static void Probe(string text)
    {
        if (!JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(text), out var document))
        {
            // Refused frames never reach a reader (a lone surrogate, or nesting past MaxDepth).
            return;
        }

        using (document)
        {
            var parameters = JsonRpcMessage.Classify(document!.RootElement).Params;
            foreach (var key in ParamKeys)
            {
                VertoDispatcher.StringParam(parameters, key);
            }

            LoginHandler.HasLogin(parameters);
            var dialog = DialogParams.Read(parameters, out var problem);
            if (dialog is null)
            {
                Assert.True(problem is "Dialog data missing" or "CallID missing", problem);
                return;
            }

            Assert.Null(problem);
            Assert.InRange(dialog.CallId.Length, 1, 256);
            Assert.True(dialog.UserVariablesJson is null || dialog.UserVariablesJson.Length <= 4096);
        }
    }
}
