using System.Net;
using System.Net.Http.Json;
using Stamen.Runtime.Model;
using Stamen.Runtime.Swarm;

namespace Stamen.Tests.Runtime;

/// <summary>Block servers on loopback: distributed generation equals one process, failover, refusals, bad input, load.</summary>
[Collection("Swarm")]
public sealed class SwarmTests
{
    private const int Seed = 7;
    private const string Model = "tiny";
    private static readonly LlamaConfig Config = LlamaConfig.Tiny;
    private static readonly LlamaWeights Full = SeededWeights.Create(Config, Seed);
    private static readonly LocalModel Local = new(Full);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private static Task<BlockServer> Serve(string id, int start, int end, int maxSessions = 16, int maxTokens = 64) =>
        BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, new BlockRange(start, end), clientParts: false)),
            new BlockServerOptions(id, Model, MaxTokensPerSession: maxTokens, MaxSessions: maxSessions));

    private static SwarmClient Client(params BlockServer[] servers) =>
        new(Http, new StaticDirectory(Http, [.. servers.Select(s => s.Address)]), Local.Embedding, Local.Head, Config.Blocks, Model);

    private static int[] Prompt(int seed, int length = 6)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => rng.Next(Config.VocabSize))];
    }

    [Fact]
    public async Task Generate_ThroughThreeServers_EqualsOneProcessBitForBit()
    {
        await using var a = await Serve("a", 0, 1);
        await using var b = await Serve("b", 1, 3);
        await using var c = await Serve("c", 3, 4);

        foreach (var seed in (int[])[1, 2, 3])
        {
            var report = await Client(a, b, c).GenerateAsync(Prompt(seed), 12);

            Assert.Equal(Local.Generate(Prompt(seed), 12), report.Tokens);
            Assert.Equal(["a", "b", "c"], report.Chain);
        }
        Assert.Equal(0, a.Host.Stats.Sessions);
    }

    [Fact]
    public async Task Generate_ServerKilledMidGeneration_ReroutesReplaysAndNoTokenChanges()
    {
        await using var head = await Serve("a", 0, 2);
        var first = await Serve("b1", 2, 4);
        await using var backup = await Serve("b2", 2, 4);
        var produced = 0;

        var report = await Client(head, first, backup).GenerateAsync(Prompt(5), 16, onToken: _ =>
        {
            if (++produced == 5) first.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });

        Assert.Equal(Local.Generate(Prompt(5), 16), report.Tokens);
        Assert.Equal(1, report.Reroutes);
        Assert.Equal(["a", "b2"], report.Chain);
    }

    [Fact]
    public async Task FullServer_RefusesCleanlyAndTheClientGoesToAnother()
    {
        await using var a = await Serve("a", 0, 4, maxSessions: 1);
        await using var b = await Serve("b", 0, 4, maxSessions: 1);
        using var hold = await Http.PostAsJsonAsync(new Uri(a.Address, "/sessions"), new OpenSessionRequest("holder", 64));
        Assert.Equal(HttpStatusCode.OK, hold.StatusCode);

        using var refused = await Http.PostAsJsonAsync(new Uri(a.Address, "/sessions"), new OpenSessionRequest("second", 64));
        var body = await refused.Content.ReadFromJsonAsync<RefusalBody>();
        var report = await Client(a, b).GenerateAsync(Prompt(9), 6);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("full", body!.Refusal);
        Assert.Equal(["b"], report.Chain);
        Assert.Equal(Local.Generate(Prompt(9), 6), report.Tokens);
    }

    [Fact]
    public async Task FullSwarm_ClientWaitsThenGivesUpWithAClearError()
    {
        await using var a = await Serve("a", 0, 4, maxSessions: 1);
        using var hold = await Http.PostAsJsonAsync(new Uri(a.Address, "/sessions"), new OpenSessionRequest("holder", 64));
        var client = new SwarmClient(Http, new StaticDirectory(Http, [a.Address]), Local.Embedding, Local.Head, Config.Blocks, Model)
        {
            FullWait = TimeSpan.FromMilliseconds(500),
        };

        var e = await Assert.ThrowsAsync<SwarmUnavailableException>(() => client.GenerateAsync(Prompt(1), 4));

        Assert.Contains("full", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedRequests_AreRefusedAndTheServerKeepsServing()
    {
        await using var a = await Serve("a", 0, 4);
        using var open = await Http.PostAsJsonAsync(new Uri(a.Address, "/sessions"), new OpenSessionRequest("s", 64));

        var cases = new (string Path, HttpContent Body)[]
        {
            ("/sessions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")),
            ("/sessions", JsonContent.Create(new { max_tokens = 5 })),
            ("/sessions/s/prefill", new ByteArrayContent([1, 2, 3])),
            ("/sessions/s/prefill", new ByteArrayContent(HiddenCodec.Encode([.. Enumerable.Repeat(float.NaN, Config.HiddenSize)]))),
            ("/sessions/s/decode", new ByteArrayContent(HiddenCodec.Encode(new float[Config.HiddenSize * 2]))),
            ("/sessions/s/prefill", new ByteArrayContent(new byte[(64 + 10) * Config.HiddenSize * 4 + 8192])),
            ("/sessions/nobody/decode", new ByteArrayContent(HiddenCodec.Encode(new float[Config.HiddenSize]))),
        };
        foreach (var (path, body) in cases)
        {
            using var response = await Http.PostAsync(new Uri(a.Address, path), body);
            Assert.InRange((int)response.StatusCode, 400, 499);
        }

        Assert.Equal("ok", await Http.GetStringAsync(new Uri(a.Address, "/health")));
        Assert.Equal(Local.Generate(Prompt(3), 5), (await Client(a).GenerateAsync(Prompt(3), 5)).Tokens);
    }

    [Fact]
    public async Task LoadTest_TwoHundredConcurrentSessions_NoneLostNoneChanged()
    {
        await using var a1 = await Serve("a1", 0, 2, maxSessions: 48);
        await using var a2 = await Serve("a2", 0, 2, maxSessions: 48);
        await using var b1 = await Serve("b1", 2, 4, maxSessions: 48);
        await using var b2 = await Serve("b2", 2, 4, maxSessions: 48);
        var client = Client(a1, a2, b1, b2);
        var expected = Enumerable.Range(0, 8).Select(p => Local.Generate(Prompt(p, 4), 4)).ToArray();

        var runs = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => client.GenerateAsync(Prompt(i % 8, 4), 4))));

        Assert.Equal(200, runs.Length);
        for (var i = 0; i < runs.Length; i++) Assert.Equal(expected[i % 8], runs[i].Tokens);
        Assert.All((BlockServer[])[a1, a2, b1, b2], s => Assert.Equal(0, s.Host.Stats.Sessions));
    }

    [Theory]
    [InlineData("ws-rr")]
    [InlineData("petals-min-latency")]
    [InlineData("shortest-path")]
    public async Task Generate_WithTheTwinsRouters_OverlappingSpans_EqualsOneProcess(string router)
    {
        // Spans overlap, so a route may enter or leave a server in the middle of its blocks (a sub-range session).
        await using var a = await Serve("a", 0, 3);
        await using var b = await Serve("b", 1, 4);
        await using var c = await Serve("c", 2, 4);
        var client = new SwarmClient(Http, new StaticDirectory(Http, [a.Address, b.Address, c.Address]), Local.Embedding, Local.Head, Config.Blocks, Model,
            new TwinRouterChainPlanner(router, Config, Model, Http));

        var report = await client.GenerateAsync(Prompt(11), 10);

        Assert.Equal(Local.Generate(Prompt(11), 10), report.Tokens);
        Assert.NotEmpty(report.Chain);
    }

    [Fact]
    public async Task Generate_TwinRouterAfterAKill_ReplansFromTheFailedBlockAndKeepsTheTokens()
    {
        await using var a = await Serve("a", 0, 2);
        var b = await Serve("b", 2, 4);
        await using var c = await Serve("c", 1, 4);
        var client = new SwarmClient(Http, new StaticDirectory(Http, [a.Address, b.Address, c.Address]), Local.Embedding, Local.Head, Config.Blocks, Model,
            new TwinRouterChainPlanner("ws-rr", Config, Model, Http));
        var produced = 0;

        var report = await client.GenerateAsync(Prompt(12), 12, onToken: _ =>
        {
            if (++produced == 4) b.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });

        Assert.Equal(Local.Generate(Prompt(12), 12), report.Tokens);
        Assert.DoesNotContain("b", report.Chain);
    }

    [Fact]
    public async Task SubRangeSession_RunsOnlyThoseBlocks()
    {
        await using var a = await Serve("a", 0, 4);
        using var open = await Http.PostAsJsonAsync(new Uri(a.Address, "/sessions"), new OpenSessionRequest("part", 16, StartBlock: 1, EndBlock: 3));
        var input = Local.Embedding.Lookup([.. Prompt(2, 5)]);
        using var body = new ByteArrayContent(HiddenCodec.Encode(input));

        using var response = await Http.PostAsync(new Uri(a.Address, "/sessions/part/prefill"), body);
        var output = HiddenCodec.Decode(await response.Content.ReadAsByteArrayAsync(), Config.HiddenSize);

        var part = new BlockStack(Full, new BlockRange(1, 3));
        Assert.Equal(part.Forward(part.CreateCache(16), input, 0), output);
        using var outside = await Http.PostAsJsonAsync(new Uri(a.Address, "/sessions"), new OpenSessionRequest("bad", 16, StartBlock: 3, EndBlock: 5));
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
    }

    [Fact]
    public async Task ServersAndRegistry_ListenOnLoopbackOnly_UnlessToldOtherwise()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var server = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, new BlockRange(0, 2), clientParts: false)),
            new BlockServerOptions("a", Model));
        Assert.All(registry.ListenAddresses.Concat(server.ListenAddresses), a => Assert.StartsWith("http://127.0.0.1:", a, StringComparison.Ordinal));
        Assert.NotEmpty(server.ListenAddresses);
        await using var exposed = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, new BlockRange(0, 2), clientParts: false)),
            new BlockServerOptions("b", Model) { Host = IPAddress.Any });
        Assert.StartsWith("http://0.0.0.0:", Assert.Single(exposed.ListenAddresses), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", exposed.Address.Host); // still reached locally at loopback
    }

    [Fact]
    public async Task Registry_RefusesBadUrlsAndFields_AndPrunesExpiredEntries()
    {
        await using var registry = await RegistryServer.StartAsync(ttlSec: 0.3);
        var announce = new Uri(registry.Address, "announce");
        BlockServerInfo Info(string id, string url = "http://127.0.0.1:9/", int hidden = 64) => new(id, url, Model, 0, 2, hidden, 512, 4, 100);
        foreach (var bad in new[] { Info("x", url: "file:///etc/passwd"), Info("x", url: "not a url"), Info("x", url: "ftp://h/"), Info("x", hidden: 0), Info(new string('x', 300)) })
            Assert.Equal(HttpStatusCode.BadRequest, (await Http.PostAsJsonAsync(announce, bad)).StatusCode);
        Assert.Equal(0, registry.StoredCount);
        for (var i = 0; i < 50; i++) (await Http.PostAsJsonAsync(announce, Info($"junk-{i}"))).EnsureSuccessStatusCode();
        Assert.Equal(50, registry.StoredCount);
        await Task.Delay(500);
        (await Http.PostAsJsonAsync(announce, Info("fresh"))).EnsureSuccessStatusCode();
        Assert.Equal(1, registry.StoredCount); // the 50 expired entries are gone, not just hidden
    }

    [Fact]
    public async Task Registry_ListsAnnouncedServersAndForgetsStoppedOnes()
    {
        await using var registry = await RegistryServer.StartAsync();
        var url = registry.Address.ToString();
        await using var a = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, new BlockRange(0, 2), clientParts: false)),
            new BlockServerOptions("a", Model, RegistryUrl: url, AnnounceEverySec: 0.2));
        var b = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, new BlockRange(2, 4), clientParts: false)),
            new BlockServerOptions("b", Model, RegistryUrl: url, AnnounceEverySec: 0.2));
        await WaitFor(() => registry.Live.Count == 2);

        var client = new SwarmClient(Http, new RegistryDirectory(Http, registry.Address), Local.Embedding, Local.Head, Config.Blocks, Model);
        Assert.Equal(Local.Generate(Prompt(4), 6), (await client.GenerateAsync(Prompt(4), 6)).Tokens);

        await b.DisposeAsync();
        await WaitFor(() => registry.Live.Count == 1);
        Assert.Equal("a", registry.Live.Single().ServerId);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}

/// <summary>The delay injector adds the configured round trip per server and nothing to others.</summary>
public sealed class DelayInjectingHandlerTests
{
    [Fact]
    public async Task Send_AddsTheRoundTripOfThatServer()
    {
        await using var a = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(LlamaConfig.Tiny, 1, new BlockRange(0, 1), clientParts: false)),
            new BlockServerOptions("a", "tiny"));
        var key = a.Address.GetLeftPart(UriPartial.Authority);
        using var delayed = new HttpClient(DelayInjectingHandler.ByServer(new Dictionary<string, TimeSpan> { [key] = TimeSpan.FromMilliseconds(120) }));
        using var plain = new HttpClient();

        await plain.GetStringAsync(new Uri(a.Address, "/health"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await delayed.GetStringAsync(new Uri(a.Address, "/health"));
        var withDelay = clock.Elapsed;
        // The plain client's fastest of five: one request alone can meet a GC or JIT pause on a busy CI machine.
        var plainFastest = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            clock.Restart();
            await plain.GetStringAsync(new Uri(a.Address, "/health"));
            plainFastest = TimeSpan.FromTicks(Math.Min(plainFastest.Ticks, clock.Elapsed.Ticks));
        }

        Assert.True(withDelay >= TimeSpan.FromMilliseconds(115), $"took {withDelay.TotalMilliseconds} ms");
        Assert.True(plainFastest < withDelay, $"plain {plainFastest.TotalMilliseconds} ms, delayed {withDelay.TotalMilliseconds} ms");
    }
}

/// <summary>Joining servers pick their blocks by PETALS' rule, through the planner's code.</summary>
public sealed class BlockChoiceTests
{
    private static BlockServerInfo Server(string id, int start, int end, double throughput = 10) =>
        new(id, "http://127.0.0.1:1", "tiny", start, end, 128, 64, 4, throughput);

    [Fact]
    public void BestStart_NewServerCoversTheWeakestBlocks()
    {
        var servers = new[] { Server("a", 0, 2), Server("b", 0, 2), Server("c", 2, 4), Server("d", 4, 6, 30) };

        Assert.Equal(2, BlockChoice.BestStart(servers, blocks: 6, length: 2));
        Assert.Equal(6, BlockChoice.BestStart(servers, blocks: 8, length: 2));
        Assert.Equal(0, BlockChoice.BestStart([], blocks: 4, length: 4));
    }
}
