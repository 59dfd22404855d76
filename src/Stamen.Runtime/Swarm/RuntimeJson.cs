using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stamen.Runtime.Swarm;

/// <summary>What a block server's counters read at one moment (GET /stats).</summary>
public sealed record BlockServerStats(
    [property: JsonPropertyName("sessions")] int Sessions,
    [property: JsonPropertyName("bytes_in_use")] long BytesInUse,
    [property: JsonPropertyName("budget_bytes")] long BudgetBytes,
    [property: JsonPropertyName("free_sessions")] int FreeSessions,
    [property: JsonPropertyName("steps")] long Steps,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("expired_sessions")] long ExpiredSessions);

/// <summary>Body of an admitted POST /sessions.</summary>
public sealed record SessionAdmitted([property: JsonPropertyName("admitted")] bool Admitted);

/// <summary>
/// The wire types of block servers and the registry, generated at build time (ASP.NET Core's web defaults, the names fixed
/// by each record's attributes): no reflection, so the Native AOT command serves and joins swarms as the JIT build does.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BlockServerInfo))]
[JsonSerializable(typeof(List<BlockServerInfo>))]
[JsonSerializable(typeof(IReadOnlyList<BlockServerInfo>))]
[JsonSerializable(typeof(OpenSessionRequest))]
[JsonSerializable(typeof(RefusalBody))]
[JsonSerializable(typeof(BlockServerStats))]
[JsonSerializable(typeof(SessionAdmitted))]
internal sealed partial class RuntimeJson : JsonSerializerContext;
