namespace MediaServer.Bench.Load;

/// <summary>One account to log in with; <see cref="Login"/> is the full "user@domain" string.</summary>
internal readonly record struct Credential(string Login, string Password);
