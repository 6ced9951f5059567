namespace Cosmos.Build.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was understood and is wrong (a plug that matches nothing, …).</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;
}
