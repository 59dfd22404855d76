namespace Stamen.Swarm;

/// <summary>
/// Network delays the performance model reads, fully resolved (topology plus overheads plus
/// any measured overrides): per-token RTT(c,j), first-token RTT_in(c,j,l_in), and RTT(i,j)
/// between servers. Immutable.
/// </summary>
public sealed class SwarmDelays
{
    private readonly double[,] _perTokenRttMs;
    private readonly double[,] _firstTokenBaseRttMs;
    private readonly double[,] _firstTokenMsPerPromptToken;
    private readonly double[,]? _serverRttMs;
    private readonly double[,] _clientPropagationRttMs;

    /// <param name="perTokenRttMs">[client, server]: RTT(c,j) of one decode hop, overhead included.</param>
    /// <param name="firstTokenBaseRttMs">[client, server]: RTT_in(c,j) less its prompt-length term.</param>
    /// <param name="firstTokenMsPerPromptToken">[client, server]: prompt-length term of RTT_in per token.</param>
    /// <param name="serverRttMs">[server, server]: RTT between servers, or null when unknown (the hub-spoke
    /// model never reads it; a 10,000-server swarm's matrix would take 800 MB).</param>
    /// <param name="clientPropagationRttMs">[client, server]: network RTT alone, without per-token overheads
    /// (what PETALS' router pings); defaults to <paramref name="perTokenRttMs"/> when not known separately.</param>
    public SwarmDelays(double[,] perTokenRttMs, double[,] firstTokenBaseRttMs, double[,] firstTokenMsPerPromptToken, double[,]? serverRttMs,
        double[,]? clientPropagationRttMs = null)
    {
        ArgumentNullException.ThrowIfNull(perTokenRttMs);
        ArgumentNullException.ThrowIfNull(firstTokenBaseRttMs);
        ArgumentNullException.ThrowIfNull(firstTokenMsPerPromptToken);
        ClientCount = perTokenRttMs.GetLength(0);
        ServerCount = perTokenRttMs.GetLength(1);
        RequireShape(firstTokenBaseRttMs, ClientCount, ServerCount, nameof(firstTokenBaseRttMs));
        RequireShape(firstTokenMsPerPromptToken, ClientCount, ServerCount, nameof(firstTokenMsPerPromptToken));
        if (serverRttMs is not null) RequireShape(serverRttMs, ServerCount, ServerCount, nameof(serverRttMs));
        _perTokenRttMs = (double[,])perTokenRttMs.Clone();
        _firstTokenBaseRttMs = (double[,])firstTokenBaseRttMs.Clone();
        _firstTokenMsPerPromptToken = (double[,])firstTokenMsPerPromptToken.Clone();
        _serverRttMs = (double[,]?)serverRttMs?.Clone();
        clientPropagationRttMs ??= perTokenRttMs;
        RequireShape(clientPropagationRttMs, ClientCount, ServerCount, nameof(clientPropagationRttMs));
        _clientPropagationRttMs = (double[,])clientPropagationRttMs.Clone();
    }

    public int ClientCount { get; }
    public int ServerCount { get; }

    /// <summary>RTT(c,j): one decode step's round trip from client to server, overhead included.</summary>
    public double PerTokenRttMs(int client, int server) => _perTokenRttMs[client, server];

    /// <summary>RTT_in(c,j): the prefill round trip for a prompt of <paramref name="promptTokens"/>.</summary>
    public double FirstTokenRttMs(int client, int server, int promptTokens) =>
        _firstTokenBaseRttMs[client, server] + _firstTokenMsPerPromptToken[client, server] * promptTokens;

    /// <summary>True when RTTs between servers were given (else every pair is <see cref="UnknownServerRttMs"/>).</summary>
    public bool KnowsServerRtts => _serverRttMs is not null;

    /// <summary>RTT between two servers; <see cref="UnknownServerRttMs"/> when it was not given.</summary>
    public double ServerRttMs(int from, int to) => from == to ? 0 : _serverRttMs?[from, to] ?? UnknownServerRttMs;

    /// <summary>PETALS' routing assumes 150 ms for a pair it has not measured.</summary>
    public const double UnknownServerRttMs = 150;

    /// <summary>Network round trip between client and server without the per-token overhead.</summary>
    public double ClientPropagationRttMs(int client, int server) => _clientPropagationRttMs[client, server];

    private static void RequireShape(double[,] m, int rows, int cols, string name)
    {
        if (m.GetLength(0) != rows || m.GetLength(1) != cols)
            throw new ArgumentException($"{name} must be {rows}x{cols}, got {m.GetLength(0)}x{m.GetLength(1)}.", name);
    }
}
