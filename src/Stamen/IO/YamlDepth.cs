using YamlDotNet.Core;

namespace Stamen.IO;

/// <summary>A nesting limit for every YAML a user gives (scenarios, catalogs), checked before any tree is built.</summary>
public static class YamlDepth
{
    /// <summary>Deepest nesting of lists and mappings a file may have: far beyond any scenario, far short of the stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Refuses YAML nested deeper than <see cref="MaxDepth"/> before anything builds a tree of it: the parser's event stream is
    /// flat, but building nodes (ours and a deserializer's) recurses once per level, and 50,000 levels overflow the stack.
    /// </summary>
    public static void Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                        if (++depth > MaxDepth)
                            throw new StamenInputException(file, $"(line {parser.Current.Start.Line})", $"lists and mappings nest more than {MaxDepth} deep",
                                "flatten the file: a scenario nests a few levels");
                        break;
                    case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // Malformed YAML: the full load reports it with its line.
        }
        catch (InvalidOperationException)
        {
            // As above, for YamlDotNet's scanner errors that are not YamlExceptions.
        }
    }

}
