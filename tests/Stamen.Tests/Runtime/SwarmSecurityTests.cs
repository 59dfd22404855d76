using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Stamen.Runtime.Model;
using Stamen.Runtime.Security;
using Stamen.Runtime.Serving;
using Stamen.Runtime.Swarm;

namespace Stamen.Tests.Runtime;

/// <summary>The attacks of issue 17 on loopback: fake servers, foreign deletes, replays, bad URLs, floods, abandoned sessions, lying servers.</summary>
[Collection("Swarm")]
public sealed class SwarmSecurityTests
{
    private const int Seed = 7;
    private const string Model = "tiny";
    private static readonly LlamaConfig Config = LlamaConfig.Tiny;
    private static readonly LocalModel Local = new(SeededWeights.Create(Config, Seed));
    private static readonly HttpClient Open = new() { Timeout = TimeSpan.FromSeconds(20) };
    private static readonly byte[] KeyA = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] KeyB = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
    private static readonly byte[] Stranger = [.. Enumerable.Range(201, 32).Select(i => (byte)i)];

    /// <summary>A member holding <paramref name="own"/>, trusting A and B.</summary>
    private static SwarmKey Ring(byte[] own) => SwarmKey.FromKeys([own, .. new[] { KeyA, KeyB }.Where(k => k != own)]);

    private static HttpClient Signed(byte[] own) => new(new SigningHandler(Ring(own))) { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>
    /// Time-to-live of the registries these tests announce to by hand, once: long, so a slow CI machine (10 s between two
    /// requests has happened) cannot let an entry expire and be re-registered by another key mid-test.
    /// </summary>
    private const double NoExpirySec = 3600;

    private static BlockServerInfo Info(string id, string url = "http://127.0.0.1:9", int start = 0, int end = 2) => new(id, url, Model, start, end, 128, 64, 4, 100);

    private static Task<BlockServer> Serve(string id, int start, int end, int weightSeed = Seed, SwarmKey? key = null) =>
        BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, weightSeed, new BlockRange(start, end), clientParts: false)),
            new BlockServerOptions(id, Model, MaxTokensPerSession: 64) { Key = key });

    private static SwarmClient Client(HttpClient http, IServerDirectory directory, double verify = 0) =>
        new(http, directory, Local.Embedding, Local.Head, Config.Blocks, Model) { VerifyFraction = verify };

    private static int[] Prompt(int seed) => [.. Enumerable.Range(0, 6).Select(i => (seed * 31 + i * 17) % Config.VocabSize)];

    [Fact]
    public async Task KeyedRegistry_RefusesUnsignedAndStrangersAnnouncements_AndServesMembers()
    {
        await using var registry = await RegistryServer.StartAsync(IPAddress.Loopback, 0, NoExpirySec, key: Ring(KeyA));
        var announce = new Uri(registry.Address, "announce");
        using var stranger = new HttpClient(new SigningHandler(SwarmKey.FromKeys([Stranger])));
        using var member = Signed(KeyB);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Open.PostAsJsonAsync(announce, Info("fake"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync(announce, Info("fake"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Open.GetAsync(new Uri(registry.Address, "servers"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Open.GetAsync(new Uri(registry.Address, "health"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.PostAsJsonAsync(announce, Info("real"))).StatusCode);
        var listed = await member.GetFromJsonAsync<List<BlockServerInfo>>(new Uri(registry.Address, "servers"));
        Assert.Equal("real", Assert.Single(listed!).ServerId);
    }

    [Fact]
    public async Task SignedRequest_ReplayedOrStaleOrAltered_IsRefused()
    {
        await using var registry = await RegistryServer.StartAsync(IPAddress.Loopback, 0, NoExpirySec, key: Ring(KeyA));
        var ring = Ring(KeyA);
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Info("s"));
        HttpRequestMessage Request(long timeMs, string nonce, byte[] sent)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(registry.Address, "announce")) { Content = new ByteArrayContent(sent) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(SignedRequests.KeyHeader, ring.OwnId);
            request.Headers.Add(SignedRequests.TimeHeader, timeMs.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(SignedRequests.NonceHeader, nonce);
            request.Headers.Add(SignedRequests.SignatureHeader, ring.Sign("POST", "/announce", timeMs, nonce, body));
            return request;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using var first = Request(now, "n1", body);
        using var replay = Request(now, "n1", body);
        using var stale = Request(now - 120_000, "n2", body);
        using var altered = Request(now, "n3", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Info("s", url: "http://10.0.0.1:1")));

        Assert.Equal(HttpStatusCode.OK, (await Open.SendAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Open.SendAsync(replay)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Open.SendAsync(stale)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Open.SendAsync(altered)).StatusCode);
        Assert.Equal("http://127.0.0.1:9", Assert.Single(registry.Live).Url);
    }

    [Fact]
    public async Task RegistryEntry_OnlyTheKeyThatRegisteredItMayUpdateOrDeleteIt()
    {
        await using var registry = await RegistryServer.StartAsync(IPAddress.Loopback, 0, NoExpirySec, key: Ring(KeyA));
        using var a = Signed(KeyA);
        using var b = Signed(KeyB);
        var announce = new Uri(registry.Address, "announce");
        var entry = new Uri(registry.Address, "servers/s1");
        (await a.PostAsJsonAsync(announce, Info("s1"))).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await b.DeleteAsync(entry)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.PostAsJsonAsync(announce, Info("s1", url: "http://127.0.0.1:666"))).StatusCode);
        Assert.Equal("http://127.0.0.1:9", Assert.Single(registry.Live).Url);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync(entry)).StatusCode);
        Assert.Empty(registry.Live);
    }

    [Fact]
    public async Task KeyedSwarm_GeneratesLikeOneProcess_RefusesUnsignedSessions_AndKeepsSessionsToTheirKey()
    {
        var ring = Ring(KeyA);
        await using var registry = await RegistryServer.StartAsync(IPAddress.Loopback, 0, NoExpirySec, key: ring);
        await using var server = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, BlockRange.All(Config.Blocks), clientParts: false)),
            new BlockServerOptions("s", Model, MaxTokensPerSession: 64, RegistryUrl: registry.Address.ToString(), AnnounceEverySec: 0.2) { Key = ring });
        using var a = Signed(KeyA);
        using var b = Signed(KeyB);
        for (var i = 0; i < 100 && registry.Live.Count == 0; i++) await Task.Delay(50);

        var report = await Client(a, new RegistryDirectory(a, registry.Address)).GenerateAsync(Prompt(3), 8);
        Assert.Equal(Local.Generate(Prompt(3), 8), report.Tokens);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Open.PostAsJsonAsync(new Uri(server.Address, "sessions"), new OpenSessionRequest("x", 8))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsJsonAsync(new Uri(server.Address, "sessions"), new OpenSessionRequest("mine", 8))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync(new Uri(server.Address, "sessions/mine"))).StatusCode);
        Assert.Equal(1, server.Host.Stats.Sessions);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync(new Uri(server.Address, "sessions/mine"))).StatusCode);
    }

    [Fact]
    public async Task Client_ServerWithBadUrlOrGarbageAnswers_IsOneServersFailureNotACrash()
    {
        await using var good = await Serve("good", 0, 4);
        var directory = new ListDirectory(
        [
            Info("a-bad-url", url: "file:///etc/passwd", end: 4),
            Info("a-dead", url: "http://127.0.0.1:1", end: 4) with { FreeSessions = 1000 },
            good.Info,
        ]);

        var report = await Client(Open, directory).GenerateAsync(Prompt(1), 6);

        Assert.Equal(Local.Generate(Prompt(1), 6), report.Tokens);
        Assert.Equal(["good"], report.Chain);
    }

    [Fact]
    public async Task Registry_AnnouncementFlood_IsRateLimitedAndBounded()
    {
        await using var registry = await RegistryServer.StartAsync();
        var announce = new Uri(registry.Address, "announce");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limited = 0;
        for (var i = 0; i < RegistryServer.AnnounceBurst + 100; i++)
            if ((await Open.PostAsJsonAsync(announce, Info($"junk-{i}"))).StatusCode == HttpStatusCode.TooManyRequests) limited++;

        Assert.True(limited > 0, "the flood was never limited");
        Assert.True(registry.StoredCount <= RegistryServer.AnnounceBurst + RegistryServer.AnnouncesPerSec * (clock.Elapsed.TotalSeconds + 1));
    }

    [Fact]
    public async Task LyingServer_IsCaughtByVerification_BannedAndTheOutputEqualsOneProcess()
    {
        // The liar serves other weights (as a poisoned server would); its id sorts first, so the fewest-hops rule picks it.
        await using var liar = await Serve("a-liar", 0, 4, weightSeed: Seed + 1);
        await using var b = await Serve("b", 0, 4);
        await using var c = await Serve("c", 0, 4);
        var directory = new ListDirectory([liar.Info, b.Info, c.Info]);

        var trusting = await Client(Open, directory).GenerateAsync(Prompt(2), 8);
        var verifying = await Client(Open, directory, verify: 1).GenerateAsync(Prompt(2), 8);

        Assert.NotEqual(Local.Generate(Prompt(2), 8), trusting.Tokens); // the liar does lie
        Assert.Equal(["a-liar"], trusting.Chain);
        Assert.Equal(Local.Generate(Prompt(2), 8), verifying.Tokens);
        Assert.Equal(["a-liar"], verifying.Banned);
        Assert.DoesNotContain("a-liar", verifying.Chain);
    }

    [Fact]
    public async Task HonestServers_PassVerificationOfEveryStep()
    {
        // The chain a -> b; a's steps are checked on a2, which holds more blocks (a session on part of its span), b's on b2.
        await using var a = await Serve("a", 0, 2);
        await using var b = await Serve("b", 2, 4);
        await using var a2 = await Serve("a2", 0, 4);
        await using var b2 = await Serve("b2", 2, 4);
        var client = new SwarmClient(Open, new ListDirectory([a.Info, b.Info, a2.Info, b2.Info]), Local.Embedding, Local.Head, Config.Blocks, Model,
            new FixedChainPlanner([new ChainStep("a", 0, 2), new ChainStep("b", 2, 4)])) { VerifyFraction = 1 };

        var report = await client.GenerateAsync(Prompt(4), 10);

        Assert.Equal(Local.Generate(Prompt(4), 10), report.Tokens);
        Assert.Empty(report.Banned);
        Assert.Equal(20, report.VerifiedSteps); // two hops, ten steps, every one checked
        Assert.Equal(["a", "b"], report.Chain);
    }

    [Fact]
    public async Task TwoServersDisagreeing_WithNoThirdToDecide_AreBothBannedAndTheClientSaysSo()
    {
        await using var liar = await Serve("a-liar", 0, 4, weightSeed: Seed + 1);
        await using var honest = await Serve("b", 0, 4);

        var error = await Assert.ThrowsAsync<SwarmUnavailableException>(() =>
            Client(Open, new ListDirectory([liar.Info, honest.Info]), verify: 1).GenerateAsync(Prompt(2), 4));
        Assert.Contains("do not cover", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_AbandonedSessions_ExpireAndTheirMemoryReturns()
    {
        var clock = new ManualClock();
        var stack = new BlockStack(SeededWeights.Create(Config, Seed, BlockRange.All(Config.Blocks), clientParts: false));
        var host = new BlockSessionHost(stack, 2 * stack.KvBytesPerToken * 16, SessionTimeouts.Petals, clock);

        // Opened and never stepped: the allocation timeout (60 s) frees them.
        Assert.True(host.Open("x", 16).Admitted);
        Assert.True(host.Open("y", 16).Admitted);
        Assert.Equal(SessionRefusal.Full, host.Open("z", 16).Refusal);
        clock.Advance(59);
        Assert.Equal(SessionRefusal.Full, host.Open("z", 16).Refusal);
        clock.Advance(2);
        Assert.True(host.Open("z", 16).Admitted);
        Assert.Equal(2, host.ExpiredSessions);

        // Stepped, then idle: the step timeout (300 s).
        Assert.True(host.Prefill("z", Local.Embedding.Lookup([1, 2])).Succeeded);
        clock.Advance(299);
        Assert.True(host.Decode("z", Local.Embedding.Lookup([3])).Succeeded);
        clock.Advance(301);
        Assert.Equal(SessionRefusal.UnknownSession, host.Decode("z", Local.Embedding.Lookup([4])).Refusal);
        Assert.Equal(0, host.Stats.BytesInUse);

        // Busy, but past the session limit (1800 s).
        Assert.True(host.Open("w", 16).Admitted);
        Assert.True(host.Prefill("w", Local.Embedding.Lookup([1])).Succeeded);
        for (var t = 0; t < 6; t++)
        {
            clock.Advance(290);
            Assert.True(host.Decode("w", Local.Embedding.Lookup([2])).Succeeded);
        }
        clock.Advance(290);
        Assert.Equal(SessionRefusal.UnknownSession, host.Decode("w", Local.Embedding.Lookup([2])).Refusal);
        Assert.Equal(4, host.ExpiredSessions);
    }

    [Fact]
    public async Task Server_LockedByAbandonedSessions_ServesAgainOnceTheyExpire()
    {
        // The audit's attack: a stranger opens every session a server holds and walks away.
        await using var server = await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(Config, Seed, BlockRange.All(Config.Blocks), clientParts: false)),
            new BlockServerOptions("s", Model, MaxTokensPerSession: 64, MaxSessions: 4) { Timeouts = new SessionTimeouts(1800, 300, AllocationSec: 0.5) });
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await Open.PostAsJsonAsync(new Uri(server.Address, "sessions"), new OpenSessionRequest($"junk-{i}", 64))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Open.PostAsJsonAsync(new Uri(server.Address, "sessions"), new OpenSessionRequest("late", 64))).StatusCode);

        await Task.Delay(700);
        var report = await Client(Open, new ListDirectory([server.Info])).GenerateAsync(Prompt(6), 5);

        Assert.Equal(Local.Generate(Prompt(6), 5), report.Tokens);
        Assert.Equal(4, server.Host.ExpiredSessions);
    }

    [Fact]
    public void SwarmKeyCommand_WritesAKeyOnce_AndItsJsonNamesTheIdNotTheKey()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-keygen-");
        try
        {
            var key = Path.Combine(dir.FullName, "swarm.key");
            var json = Path.Combine(dir.FullName, "key.json");

            var first = Stamen.Tests.Cli.CliHarness.Run("swarm-key", key, "--json", json);
            var again = Stamen.Tests.Cli.CliHarness.Run("swarm-key", key);

            Assert.Equal(0, first.ExitCode);
            var written = SwarmKey.Load(key);
            var text = File.ReadAllText(json);
            Assert.Contains(written.OwnId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(File.ReadAllText(key).Trim(), text, StringComparison.Ordinal);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void SwarmKey_BadFilesAreClearErrors()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-key-");
        try
        {
            string File(string name, string text)
            {
                var path = Path.Combine(dir.FullName, name);
                System.IO.File.WriteAllText(path, text);
                return path;
            }
            Assert.Contains("not a hex key", Assert.Throws<StamenInputException>(() => SwarmKey.Load(File("a", "zz-not-hex\n"))).Message, StringComparison.Ordinal);
            Assert.Contains("at least 16", Assert.Throws<StamenInputException>(() => SwarmKey.Load(File("b", "abcd\n"))).Message, StringComparison.Ordinal);
            Assert.Contains("holds no key", Assert.Throws<StamenInputException>(() => SwarmKey.Load(File("c", "# nothing\n\n"))).Message, StringComparison.Ordinal);
            Assert.Contains("not found", Assert.Throws<StamenInputException>(() => SwarmKey.Load(Path.Combine(dir.FullName, "none"))).Message, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
                Assert.Contains("holds no key", Assert.Throws<StamenInputException>(() => SwarmKey.Load("/dev/zero")).Message, StringComparison.Ordinal);
            var good = SwarmKey.Load(File("d", $"# mine\n{Convert.ToHexString(KeyA)}\n{Convert.ToHexString(KeyB)}\n"));
            Assert.Equal(SwarmKey.IdOf(KeyA), good.OwnId);
            Assert.Equal(2, good.TrustedIds.Count);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serve_OnSigterm_LeavesTheRegistryAndExitsZero()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is a POSIX signal
        await using var registry = await RegistryServer.StartAsync();
        var start = Support.StamenProcess.StartInfo(["serve", "--blocks", "0:2", "--registry", registry.Address.ToString(), "--id", "term"]);
        using var serve = System.Diagnostics.Process.Start(start)!;
        var output = serve.StandardOutput.ReadToEndAsync();
        var errors = serve.StandardError.ReadToEndAsync();
        try
        {
            for (var i = 0; i < 600 && registry.Live.Count == 0 && !serve.HasExited; i++) await Task.Delay(50);
            Assert.Equal("term", Assert.Single(registry.Live).ServerId);

            Assert.Equal(0, Support.Signals.Kill(serve.Id, Support.Signals.Terminate));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await serve.WaitForExitAsync(limit.Token);

            Assert.True(serve.ExitCode == 0, $"exit {serve.ExitCode}: {await output} {await errors}");
            Assert.Empty(registry.Live); // it deregistered, rather than waiting to be forgotten
            Assert.Contains("Stopping", await output, StringComparison.Ordinal);
        }
        finally
        {
            if (!serve.HasExited) serve.Kill();
        }
    }

    private sealed class ListDirectory(IReadOnlyList<BlockServerInfo> servers) : IServerDirectory
    {
        public Task<IReadOnlyList<BlockServerInfo>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(servers);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(double seconds) => _now += TimeSpan.FromSeconds(seconds);

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
