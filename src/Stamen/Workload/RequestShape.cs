namespace Stamen.Workload;

/// <summary>Token lengths of one request: l_in prompt tokens and l_max generated tokens.</summary>
public readonly record struct RequestShape(int PromptTokens, int OutputTokens);
