using System.CommandLine;
using System.Globalization;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Runtime.Model;
using Stamen.Runtime.Security;
using Stamen.Runtime.Serving;
using Stamen.Runtime.Swarm;

namespace Stamen.Cli.Commands;

/// <summary>`stamen serve`, `stamen registry`, `stamen generate`: a real swarm of block servers (issue 7).</summary>
internal static class RuntimeCommands
{
    /// <summary>Weights named on the command line: a preset with seeded weights, or a folder with config.json and model.safetensors.</summary>
    private sealed record ModelSource(string Name, LlamaConfig Config, Func<BlockRange?, bool, LlamaWeights> Load)
    {
        public static ModelSource Parse(string model, int seed)
        {
            if (LlamaConfig.Presets.TryGetValue(model, out var preset))
                return new ModelSource(model, preset, (blocks, client) => SeededWeights.Create(preset, seed, blocks, client));
            if (Directory.Exists(model))
            {
                var config = LlamaCheckpoint.ReadConfig(Path.Combine(model, "config.json"));
                return new ModelSource(Path.GetFileName(Path.GetFullPath(model).TrimEnd(Path.DirectorySeparatorChar)), config,
                    (blocks, client) => LlamaCheckpoint.Load(model, blocks, client));
            }
            throw new StamenInputException("--model", model, "is neither a preset nor a folder",
                $"use one of {string.Join(", ", LlamaConfig.Presets.Keys)}, or a folder holding config.json and model.safetensors");
        }
    }

    private static Option<string> ModelOption() => new("--model")
    {
        Description = $"Preset ({string.Join(", ", LlamaConfig.Presets.Keys)}) with weights from --seed, or a folder with config.json and model.safetensors",
        DefaultValueFactory = _ => "tiny",
        HelpName = "NAME|DIR",
    };

    private static Option<int> SeedOption() => new("--seed") { Description = "Seed of preset weights (every server and client must use the same)", DefaultValueFactory = _ => 1, HelpName = "N" };

    public static Command Serve(CliConsole console)
    {
        var model = ModelOption();
        var seed = SeedOption();
        var blocks = new Option<string>("--blocks")
        {
            Description = "Block range to serve, START:END (end exclusive); auto (the default): the span of --num-blocks the registry's swarm needs most (PETALS' rule); plan: the range --plan gives --plan-server",
            DefaultValueFactory = _ => "auto",
            HelpName = "A:B|auto|plan",
        };
        var numBlocks = new Option<int?>("--num-blocks") { Description = "Blocks to hold with --blocks auto", HelpName = "N" };
        var plan = new Option<string?>("--plan") { Description = "A plan from `stamen plan --json` (its scenario's model must be this one): with --blocks plan, serve --plan-server's range", HelpName = "PATH" };
        var planServer = new Option<string?>("--plan-server") { Description = "Which server of the plan this is (its name in the plan's servers)", HelpName = "NAME" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 0, HelpName = "P" };
        var maxSessions = new Option<int>("--max-sessions") { Description = "Sessions of --max-tokens the memory budget holds", DefaultValueFactory = _ => 16, HelpName = "N" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Longest session (prompt + new tokens); default 512, or the model's positions when fewer", HelpName = "N" };
        var registry = new Option<string?>("--registry") { Description = "Registry to announce to, e.g. http://127.0.0.1:7000", HelpName = "URL" };
        var id = new Option<string?>("--id") { Description = "Server id (default: host and port)", HelpName = "NAME" };
        var host = HostOption();
        var keyFile = KeyFileOption();
        var sessionTimeout = new Option<double>("--session-timeout") { Description = "Seconds a session may live (PETALS: 1800)", DefaultValueFactory = _ => SessionTimeouts.Petals.SessionSec, HelpName = "S" };
        var stepTimeout = new Option<double>("--step-timeout") { Description = "Seconds a session may wait between steps before it is closed (PETALS: 300)", DefaultValueFactory = _ => SessionTimeouts.Petals.StepSec, HelpName = "S" };
        var allocTimeout = new Option<double>("--alloc-timeout") { Description = "Seconds from opening a session (its memory reserved) to its first step (PETALS' allocation timeout: 60)", DefaultValueFactory = _ => SessionTimeouts.Petals.AllocationSec, HelpName = "S" };
        var command = new Command("serve", "Serve a range of transformer blocks over HTTP until Ctrl+C: sessions with a KV cache, prefill and decode steps, health and stats")
        {
            model, seed, blocks, numBlocks, plan, planServer, port, host, maxSessions, maxTokens, registry, id, keyFile, sessionTimeout, stepTimeout, allocTimeout,
        };
        command.SetAction((p, ct) => CliRunner.RunAsync(console, async () =>
        {
            var key = Key(p.GetValue(keyFile));
            var address = Host(console, p.GetValue(host)!, key);
            var source = ModelSource.Parse(p.GetValue(model)!, p.GetValue(seed));
            BlockRange range;
            if (p.GetValue(blocks)!.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            {
                var registryUrl = p.GetValue(registry) ?? throw new StamenInputException("--blocks", "auto",
                    "choosing blocks (the default) needs --registry to see the swarm", "give --registry URL and --num-blocks N, or a range --blocks A:B");
                var count = p.GetValue(numBlocks) ?? throw new StamenInputException("--num-blocks", "(missing)",
                    "is needed to choose blocks (the default, --blocks auto)", "give how many blocks to hold, or a range --blocks A:B");
                using var http = Http(key, TimeSpan.FromSeconds(10));
                var (start, end) = await BlockChoice.ChooseAsync(new RegistryDirectory(http, HttpUrl("--registry", registryUrl)), source.Name, source.Config.Blocks, count, ct)
                    .ConfigureAwait(false);
                range = new BlockRange(start, end);
            }
            else if (p.GetValue(blocks)!.Trim().Equals("plan", StringComparison.OrdinalIgnoreCase))
                range = RangeFromPlan(p.GetValue(plan), p.GetValue(planServer), source.Config.Blocks);
            else range = ListArguments.Range("--blocks", p.GetValue(blocks)!, source.Config.Blocks,
                $"write START:END with 0 <= START < END <= {source.Config.Blocks}, e.g. 0:{source.Config.Blocks / 2}, or auto, or plan");
            var sessions = p.GetValue(maxSessions);
            if (sessions is < 1 or > 100_000) throw new StamenInputException("--max-sessions", sessions.ToString(CultureInfo.InvariantCulture), "must be 1..100000", "give e.g. 16");
            var sessionTokens = p.GetValue(maxTokens) ?? Math.Min(512, source.Config.MaxPositions);
            if (sessionTokens < 1 || sessionTokens > source.Config.MaxPositions)
                throw new StamenInputException("--max-tokens", sessionTokens.ToString(CultureInfo.InvariantCulture), $"must be 1..{source.Config.MaxPositions} (the model's positions)", $"give e.g. {Math.Min(512, source.Config.MaxPositions)}");
            var budgetBytes = (double)source.Config.KvBytesPerTokenPerBlock * range.Count * sessionTokens * sessions;
            var machineBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (budgetBytes > machineBytes)
                throw new StamenInputException("--max-sessions", sessions.ToString(CultureInfo.InvariantCulture),
                    $"{sessions} sessions of {sessionTokens} tokens need {budgetBytes / (1 << 20):F0} MiB of KV cache; this machine has {machineBytes / (1 << 20)} MiB",
                    "give fewer sessions or a shorter --max-tokens");
            foreach (var (option, value) in new[] { ("--session-timeout", p.GetValue(sessionTimeout)), ("--step-timeout", p.GetValue(stepTimeout)), ("--alloc-timeout", p.GetValue(allocTimeout)) })
                if (!(value > 0 && value <= SessionTimeouts.MaxSec))
                    throw new StamenInputException(option, value.ToString(CultureInfo.InvariantCulture), $"must be in (0, {SessionTimeouts.MaxSec}] seconds",
                        "give seconds; PETALS' defaults are 1800 (session), 300 (step) and 60 (allocation)");
            var timeouts = new SessionTimeouts(p.GetValue(sessionTimeout), p.GetValue(stepTimeout), p.GetValue(allocTimeout));
            var stack = new BlockStack(source.Load(range, false), range);
            var serverId = p.GetValue(id) ?? $"{Environment.MachineName}-{p.GetValue(port)}-{range}";
            if (serverId.Length is 0 or > 256) throw new StamenInputException("--id", serverId, "must be 1..256 characters", "give a short name, e.g. gpu-a");
            var options = new BlockServerOptions(serverId, source.Name, Port(p.GetValue(port)),
                sessionTokens, sessions, p.GetValue(registry) is { } announceTo ? HttpUrl("--registry", announceTo).ToString().TrimEnd('/') : null, ThroughputTokensPerSec: DecodeTokensPerSecond(stack)) { Host = address, Timeouts = timeouts, Key = key };
            await using var server = await Listening(() => BlockServer.StartAsync(stack, options, ct), options.Port).ConfigureAwait(false);
            console.Out.Heading($"Serving blocks {range} of {source.Name} on {server.Address} (id {options.ServerId}, {options.MaxSessions} sessions of {options.MaxTokensPerSession} tokens{KeyNote(key)})");
            await WaitForStop(ct).ConfigureAwait(false);
            console.Out.Note("Stopping: finishing requests in flight");
            return 0;
        }));
        return command;
    }

    public static Command Registry(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on", DefaultValueFactory = _ => 7000, HelpName = "P" };
        var host = HostOption();
        var keyFile = KeyFileOption();
        var command = new Command("registry", "Run the registry block servers announce themselves to, until Ctrl+C") { port, host, keyFile };
        command.SetAction((p, ct) => CliRunner.RunAsync(console, async () =>
        {
            var key = Key(p.GetValue(keyFile));
            var address = Host(console, p.GetValue(host)!, key);
            var listenPort = Port(p.GetValue(port));
            await using var registry = await Listening(() => RegistryServer.StartAsync(address, listenPort, key: key, cancellationToken: ct), listenPort).ConfigureAwait(false);
            console.Out.Heading($"Registry on {registry.Address} (servers list: {registry.Address}servers{KeyNote(key)})");
            await WaitForStop(ct).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>An absolute http(s) URL from the command line, or the usual one-line error.</summary>
    private static Uri HttpUrl(string option, string text) =>
        RegistryServer.HttpUrl(text) ?? throw new StamenInputException(option, text, "is not an http or https URL", "give e.g. http://127.0.0.1:7000");

    private static Option<string?> KeyFileOption() => new("--swarm-key-file")
    {
        Description = "The swarm's keys (`stamen swarm-key PATH` writes one): requests are signed with the first and accepted from any; without it the swarm is open (keep it on loopback)",
        HelpName = "PATH",
    };

    private static SwarmKey? Key(string? path) => path is null ? null : SwarmKey.Load(path);

    private static string KeyNote(SwarmKey? key) => key is null ? ", open: no key" : $", signed requests only, key {key.OwnId}";

    /// <summary>A client for swarm requests: signed with the key when there is one.</summary>
    private static HttpClient Http(SwarmKey? key, TimeSpan timeout) =>
        new(key is null ? new HttpClientHandler() : new SigningHandler(key)) { Timeout = timeout };

    /// <summary>`stamen swarm-key PATH`: a new random key, readable by its owner only.</summary>
    public static Command SwarmKeyCommand(CliConsole console)
    {
        var path = new Argument<string>("PATH") { Description = "File to write (must not exist)" };
        var json = CommonOptions.Json();
        var command = new Command("swarm-key", "Write a new random swarm key (32 bytes, hex) for --swarm-key-file; give every member of a private swarm the same file") { path, json };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var file = p.GetValue(path)!;
            if (File.Exists(file) || Directory.Exists(file))
                throw new StamenInputException(file, "(file)", "already exists", "choose a new path: a key is never overwritten");
            var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
            if (!Directory.Exists(dir)) throw new StamenInputException(file, "(file)", $"folder {dir} does not exist", "create the folder or choose another path");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(file, System.Text.Encoding.ASCII, options))
                writer.WriteLine(SwarmKey.NewKeyHex());
            var keyId = SwarmKey.Load(file).OwnId;
            console.Out.Note($"Wrote a swarm key to {file} (id {keyId}); copy it to every server, the registry and clients, and pass --swarm-key-file {file}");
            // The id only: the key itself stays in its file.
            if (p.GetValue(json) is { } jsonPath) JsonOutput.Write(jsonPath, new SwarmKeyJson(Path.GetFullPath(file), keyId));
            return 0;
        }));
        return command;
    }

    private static int Port(int port) => port is >= 0 and <= 65535 ? port
        : throw new StamenInputException("--port", port.ToString(CultureInfo.InvariantCulture), "must be 0..65535", "give a free port, or 0 to pick one");

    /// <summary>Starts a listener; a port another process holds is the user's error, not a crash.</summary>
    private static async Task<T> Listening<T>(Func<Task<T>> start, int port)
    {
        try
        {
            return await start().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new StamenInputException("--port", port.ToString(CultureInfo.InvariantCulture), $"cannot listen: {e.Message}", "give a free port, or 0 to pick one");
        }
    }

    private static Option<string> HostOption() => new("--host")
    {
        Description = "Address to listen on: 127.0.0.1 (the default) keeps it on this machine; 0.0.0.0 or an interface's address exposes it to the network",
        DefaultValueFactory = _ => "127.0.0.1",
        HelpName = "IP",
    };

    /// <summary>The --host address; a warning when it is reachable from other machines and no key authenticates peers.</summary>
    private static System.Net.IPAddress Host(CliConsole console, string text, SwarmKey? key)
    {
        if (!System.Net.IPAddress.TryParse(text.Trim(), out var address))
            throw new StamenInputException("--host", text, "is not an IP address", "give 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or an interface's address");
        if (!System.Net.IPAddress.IsLoopback(address) && key is null)
            console.Out.Note($"Warning: listening on {address}, reachable from the network, and no key authenticates peers: anyone who reaches it can use it. Give --swarm-key-file, or keep it on a private network.");
        return address;
    }

    public static Command Generate(CliConsole console)
    {
        var model = ModelOption();
        var seed = SeedOption();
        var registry = new Option<string?>("--registry") { Description = "Registry URL to find servers", HelpName = "URL" };
        var servers = new Option<string?>("--servers") { Description = "Comma-separated server URLs, instead of a registry", HelpName = "URLS" };
        var prompt = new Option<string>("--prompt-tokens") { Description = "Prompt token ids, comma-separated", Required = true, HelpName = "IDS" };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate (greedy)", DefaultValueFactory = _ => 16, HelpName = "N" };
        var check = new Option<bool>("--check-local") { Description = "Also run the whole model in this process and say whether the tokens are equal" };
        var router = new Option<string>("--router")
        {
            Description = $"min-hop (fewest servers), or one of the twin's routers: {string.Join(", ", Stamen.Routing.RouterCatalog.Names)}",
            DefaultValueFactory = _ => "min-hop",
            HelpName = "NAME",
        };
        var json = CommonOptions.Json();
        var keyFile = KeyFileOption();
        var verify = new Option<double>("--verify-fraction")
        {
            Description = "Fraction of steps re-run on a second server holding the same blocks; a server whose hidden states disagree is banned and reported (0: trust every server, as PETALS)",
            DefaultValueFactory = _ => 0,
            HelpName = "F",
        };
        var verifySeed = new Option<int>("--verify-seed") { Description = "Seed of which steps are verified and by whom", DefaultValueFactory = _ => 1, HelpName = "N" };
        var command = new Command("generate", "Generate tokens through a chain of block servers (embedding and head run here), streaming them; re-routes and replays if a server dies")
        {
            model, seed, registry, servers, prompt, maxNew, router, check, keyFile, verify, verifySeed, json,
        };
        command.SetAction((p, ct) => CliRunner.RunAsync(console, async () =>
        {
            var source = ModelSource.Parse(p.GetValue(model)!, p.GetValue(seed));
            var tokens = ListArguments.Ints("--prompt-tokens", p.GetValue(prompt)!, 0, source.Config.VocabSize - 1,
                $"a token id in 0..{source.Config.VocabSize - 1}", "give comma-separated ids, e.g. 1,2,3");
            var newTokens = p.GetValue(maxNew);
            if (newTokens < 1 || tokens.Length + newTokens - 1 > source.Config.MaxPositions)
                throw new StamenInputException("--max-new-tokens", newTokens.ToString(CultureInfo.InvariantCulture),
                    $"must be at least 1, and the prompt ({tokens.Length}) plus the new tokens at most the model's {source.Config.MaxPositions} positions + 1",
                    $"give 1..{source.Config.MaxPositions + 1 - tokens.Length}");
            using var http = Http(Key(p.GetValue(keyFile)), TimeSpan.FromSeconds(30));
            IServerDirectory directory = (p.GetValue(registry), p.GetValue(servers)) switch
            {
                ({ } r, null) => new RegistryDirectory(http, HttpUrl("--registry", r)),
                (null, { } s) => new StaticDirectory(http, [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => HttpUrl("--servers", u))]),
                _ => throw new StamenInputException("--registry", "(missing)", "give exactly one of --registry and --servers", "e.g. --registry http://127.0.0.1:7000"),
            };
            var client = source.Load(new BlockRange(0, 0), true);
            var routerName = p.GetValue(router)!;
            IChainPlanner planner = routerName.Equals("min-hop", StringComparison.OrdinalIgnoreCase)
                ? new MinHopChainPlanner()
                : new TwinRouterChainPlanner(routerName, source.Config, source.Name, http, seed: p.GetValue(seed));
            var fraction = p.GetValue(verify);
            if (!(fraction is >= 0 and <= 1))
                throw new StamenInputException("--verify-fraction", fraction.ToString(CultureInfo.InvariantCulture), "must be in [0, 1]", "give e.g. 0.1 to re-run one step in ten");
            var swarm = new SwarmClient(http, directory, new Embedding(client), new LmHead(client), source.Config.Blocks, source.Name, planner)
            {
                VerifyFraction = fraction,
                VerifySeed = p.GetValue(verifySeed),
            };
            console.Plain.Write("tokens:");
            var report = await swarm.GenerateAsync(tokens, newTokens, t => console.Plain.Write(string.Create(CultureInfo.InvariantCulture, $" {t}")), ct)
                .ConfigureAwait(false);
            console.Plain.WriteLine();
            console.Out.Note($"chain ({planner.Name}): {string.Join(" -> ", report.Chain)}; re-routes: {report.Reroutes}");
            if (fraction > 0)
                console.Out.Note(report.Banned.Count == 0
                    ? $"verified {report.VerifiedSteps} steps on second servers: all agreed"
                    : $"verified {report.VerifiedSteps} steps; BANNED for disagreeing hidden states: {string.Join(", ", report.Banned)}");
            bool? equal = null;
            if (p.GetValue(check))
            {
                var local = new LocalModel(source.Load(null, true)).Generate(tokens, newTokens);
                equal = local.SequenceEqual(report.Tokens);
                console.Out.Note(equal.Value ? "equal to the single-process run, token for token" : "DIFFERENT from the single-process run");
            }
            if (p.GetValue(json) is { } path)
            {
                JsonOutput.Write(path, new GenerationJson(report.Tokens, report.Chain, report.Reroutes, report.VerifiedSteps, report.Banned, equal));
                console.Out.Note($"Wrote {path}");
            }
            return equal == false ? 1 : 0;
        }));
        return command;
    }

    /// <summary>
    /// Tokens per second the stack decodes (one token through all its blocks, median of 20 after a warm-up): what the server
    /// announces, so routers and the block rule weigh it by its speed.
    /// </summary>
    private static double DecodeTokensPerSecond(BlockStack stack)
    {
        var cache = stack.CreateCache(Math.Min(64, stack.Config.MaxPositions));
        var row = new float[stack.Config.HiddenSize];
        for (var i = 0; i < 10; i++) stack.Forward(cache, row, i);
        var samples = new double[20];
        for (var i = 0; i < samples.Length; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            stack.Forward(cache, row, 10);
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return 1000 / Math.Max(samples[samples.Length / 2], 1e-3);
    }

    /// <summary>The range a `stamen plan --json` file gives one of its servers.</summary>
    private static BlockRange RangeFromPlan(string? path, string? server, int blocks)
    {
        if (path is null) throw new StamenInputException("--plan", "(missing)", "is needed with --blocks plan", "give the JSON written by `stamen plan SCENARIO -a ALGORITHM --json PATH`");
        if (server is null) throw new StamenInputException("--plan-server", "(missing)", "is needed with --blocks plan", "give this server's name in the plan");
        if (!File.Exists(path)) throw new StamenInputException(path, "(file)", "plan not found", "write one with `stamen plan SCENARIO -a ALGORITHM --json PATH`");
        PlanReport? plan;
        try
        {
            plan = System.Text.Json.JsonSerializer.Deserialize(Stamen.IO.BoundedFile.ReadAllText(path, Stamen.IO.BoundedFile.MaxTextBytes, "plan"), JsonOutput.TypeInfo<PlanReport>());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new StamenInputException(path, "(file)", $"not a plan: {e.Message}", "use the JSON written by `stamen plan --json`");
        }
        if (plan?.Servers is not { } servers || servers.Any(s => s?.Server is null))
            throw new StamenInputException(path, "servers", "missing, or a server without a name", "use the JSON written by `stamen plan --json`");
        var entry = servers.FirstOrDefault(s => s.Server == server)
            ?? throw new StamenInputException(path, "servers", $"no server '{server}' in the plan", $"use one of {string.Join(", ", servers.Select(s => s.Server))}");
        if (entry.EndBlock <= entry.StartBlock) throw new StamenInputException(path, $"servers.{server}", "holds no blocks in the plan", "start this server with another range, or not at all");
        if (entry.StartBlock < 0) throw new StamenInputException(path, $"servers.{server}.start_block", $"{entry.StartBlock} is negative", "use the JSON written by `stamen plan --json`");
        if (entry.EndBlock > blocks) throw new StamenInputException(path, $"servers.{server}.end_block", $"{entry.EndBlock} is past the model's {blocks} blocks", "plan a scenario of this model");
        return new BlockRange(entry.StartBlock, entry.EndBlock);
    }

    private static async Task WaitForStop(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            // Ctrl+C: System.CommandLine cancels the action's token.
        }
    }
}

/// <summary>The JSON shape of `stamen swarm-key --json`: where the key is and its id, never the key.</summary>
internal sealed record SwarmKeyJson(string Path, string KeyId);

/// <summary>The JSON shape of `stamen generate --json`.</summary>
internal sealed record GenerationJson(IReadOnlyList<int> Tokens, IReadOnlyList<string> Chain, int Reroutes, int VerifiedSteps, IReadOnlyList<string> Banned,
    bool? EqualToLocal);
