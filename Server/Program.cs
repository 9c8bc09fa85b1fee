using System.Net;
using System.Net.Sockets;
using MediaServer.Configuration;
using MediaServer.Hosting;
using MediaServer.Security;

namespace MediaServer;

/// <summary>Command-line entry: parse flags, load conf/, start the host, wait for shutdown.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CommandLineFlags flags;
        try
        {
            flags = CommandLineFlags.Parse(args);
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        if (flags.ShowHelp)
        {
            Console.WriteLine(CommandLineFlags.Usage);
            return 0;
        }

        if (flags.HashPassword is not null)
        {
            var password = flags.HashPassword.Length > 0 ? flags.HashPassword : (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync("--hash-password: give the password as its value or on standard input");
                return 2;
            }

            Console.WriteLine(PasswordHasher.Hash(password));
            return 0;
        }

        ServerSettings settings;
        try
        {
            settings = ConfigLoader.Load(flags);
            settings = settings with
            {
                Directory = GeneratedPasswords.Apply(settings.Directory, settings.DataDirectory, Console.WriteLine),
                PublicIp = settings.PublicIp ?? FirstNonLoopbackAddress(),
            };
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }

        MediaServerHost host;
        try
        {
            host = await MediaServerHost.StartAsync(settings);
        }
        catch (Mixer.Interop.NativeLibraryMissingException e)
        {
            await Console.Error.WriteLineAsync($"start-up failed: {e.Message}");
            return 1;
        }
        catch (FileNotFoundException e)
        {
            // The banner font (fonts-dejavu-core): the message names the package.
            await Console.Error.WriteLineAsync($"start-up failed: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.Message.StartsWith("--media-port", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (IOException e) when (e.InnerException is SocketException or null)
        {
            await Console.Error.WriteLineAsync($"--http-port: cannot listen on {settings.Bind}:{settings.HttpPort}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"start-up failed: {e.Message}");
            return 1;
        }

        await using (host)
        {
            Console.WriteLine($"MediaServer listening on {host.Scheme}://{(settings.Bind.Equals(IPAddress.Any) ? "localhost" : settings.Bind)}:{host.HttpPort}/ (Verto on any WebSocket path; /health, /metrics)");
            await host.WaitForShutdownAsync();
        }

        return 0;
    }

    /// <summary>contract.md: --public-ip defaults to the first non-loopback address, else 127.0.0.1.</summary>
    private static IPAddress FirstNonLoopbackAddress()
    {
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != System.Net.NetworkInformation.OperationalStatus.Up)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return IPAddress.Loopback;
    }
}
