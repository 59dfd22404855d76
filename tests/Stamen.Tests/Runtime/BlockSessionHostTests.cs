using Stamen.Runtime.Model;
using Stamen.Runtime.Serving;

namespace Stamen.Tests.Runtime;

public class BlockSessionHostTests
{
    private static BlockSessionHost Host(long budgetBytes, BlockRange? range = null) =>
        new(new BlockStack(TinyModel.Weights, range ?? BlockRange.All(TinyModel.Config.Blocks)), budgetBytes);

    [Fact]
    public void Open_BudgetForThreeSessions_AdmitsThreeThenRefusesUntilOneCloses()
    {
        var probe = Host(0);
        var perSession = probe.SessionBytes(64);
        var host = Host(3 * perSession + perSession - 1);

        for (var i = 0; i < 3; i++) Assert.True(host.Open($"s{i}", 64).Admitted);
        var refused = host.Open("s3", 64);

        Assert.False(refused.Admitted);
        Assert.Equal(SessionRefusal.Full, refused.Refusal);
        Assert.Equal(new HostStats(3, 3 * perSession, host.MemoryBudgetBytes, TinyModel.Config.Blocks * TinyModel.Config.KvBytesPerTokenPerBlock), host.Stats);

        Assert.True(host.Close("s1"));
        Assert.False(host.Close("s1"));
        Assert.True(host.Open("s3", 64).Admitted);
        Assert.Equal(3, host.Stats.Sessions);
    }

    [Fact]
    public void SessionBytes_AreKvBytesPerTokenTimesTokens()
    {
        var host = Host(1 << 30, new BlockRange(1, 3));
        // Tiny: 2 KV heads x 32 wide, keys and values, fp32, 2 blocks.
        Assert.Equal(2 * 2 * 64 * 4 * 100, host.SessionBytes(100));
    }

    [Fact]
    public void Open_DuplicateOrTooLong_IsRefused()
    {
        var host = Host(1 << 30);
        Assert.True(host.Open("a", 16).Admitted);

        Assert.Equal(SessionRefusal.DuplicateId, host.Open("a", 16).Refusal);
        Assert.Equal(SessionRefusal.TooLong, host.Open("b", TinyModel.Config.MaxPositions + 1).Refusal);
        Assert.Equal(SessionRefusal.BadRequest, host.Open("", 16).Refusal);
    }

    [Fact]
    public void Steps_BadRequests_AreRefusedWithoutThrowing()
    {
        var host = Host(1 << 30);
        host.Open("a", 4);

        Assert.Equal(SessionRefusal.UnknownSession, host.Decode("nope", TinyModel.Embed(1)).Refusal);
        Assert.Equal(SessionRefusal.BadRequest, host.Prefill("a", new float[5]).Refusal);
        Assert.Equal(SessionRefusal.BadRequest, host.Decode("a", TinyModel.Embed(1, 2)).Refusal);
        Assert.True(host.Prefill("a", TinyModel.Embed(1, 2, 3, 4)).Succeeded);
        Assert.Equal(SessionRefusal.TooLong, host.Decode("a", TinyModel.Embed(5)).Refusal);
    }

    [Fact]
    public void ChainOfTwoHosts_GeneratesTheLocalModelsTokens()
    {
        var first = Host(1 << 30, new BlockRange(0, 1));
        var second = Host(1 << 30, new BlockRange(1, 4));

        var tokens = Generate([first, second], "s", TinyModel.Prompt, 10);

        Assert.Equal(new LocalModel(TinyModel.Weights).Generate(TinyModel.Prompt, 10), tokens);
    }

    [Fact]
    public void ConcurrentSessions_FromSeveralThreads_GiveTheSequentialTokens()
    {
        var prompts = Enumerable.Range(0, 6).Select(i => TinyModel.Prompt.Select(t => (t + 31 * i) % 512).ToArray()).ToArray();
        var sequentialHost = Host(1 << 30);
        var sequential = prompts.Select((p, i) => Generate([sequentialHost], $"s{i}", p, 8)).ToArray();

        var host = Host(1 << 30);
        var concurrent = new IReadOnlyList<int>[prompts.Length];
        Parallel.For(0, prompts.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 },
            i => concurrent[i] = Generate([host], $"s{i}", prompts[i], 8));

        for (var i = 0; i < prompts.Length; i++) Assert.Equal(sequential[i], concurrent[i]);
        Assert.Equal(0, host.Stats.Sessions);
        Assert.Equal(0, host.Stats.BytesInUse);
    }

    /// <summary>A client in miniature: embedding and head here, blocks on the hosts in order.</summary>
    private static List<int> Generate(BlockSessionHost[] chain, string session, int[] prompt, int maxNewTokens)
    {
        var embedding = new Embedding(TinyModel.Weights);
        var head = new LmHead(TinyModel.Weights, ComputeOptions.SingleThreaded);
        foreach (var host in chain) Assert.True(host.Open(session, prompt.Length + maxNewTokens).Admitted);
        var hidden = embedding.Lookup(prompt);
        foreach (var host in chain) hidden = host.Prefill(session, hidden).Hidden!;
        var tokens = new List<int> { head.Greedy(hidden) };
        while (tokens.Count < maxNewTokens)
        {
            hidden = embedding.Lookup([tokens[^1]]);
            foreach (var host in chain) hidden = host.Decode(session, hidden).Hidden!;
            tokens.Add(head.Greedy(hidden));
        }
        foreach (var host in chain) host.Close(session);
        return tokens;
    }
}
