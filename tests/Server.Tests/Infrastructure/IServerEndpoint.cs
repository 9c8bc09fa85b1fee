namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// What a test client needs of a running server, whether it runs in the test's process
/// (<see cref="TestServer"/>) or as a process of its own (<see cref="ServerProcess"/>, for
/// signals and crashes): where to connect, and the data folder holding its certificate.
/// </summary>
public interface IServerEndpoint
{
    Uri WebSocketUri { get; }

    string DataDirectory { get; }

    /// <summary>Connects and logs in as Alice (or another user), skipping nothing of the dance.</summary>
    async Task<VertoTestClient> LoginAsync(string user = "1000", string password = TestServer.AlicePassword, string? sessid = null)
    {
        var client = await VertoTestClient.ConnectAsync(this);
        await client.LoginAsync(user, password, sessid);
        return client;
    }
}
