namespace Stamen.Tests.Support;

/// <summary>POSIX signals to child processes.</summary>
internal static class Signals
{
    public const int Terminate = 15;

    /// <summary>libc's kill(2): a signal without needing procps' kill binary on a minimal machine.</summary>
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
