using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.FileProviders;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// Liquid (Fluid) rendering in a sandbox: no file system (includes fail), no network, no .NET members (the model
/// is plain values), bounded steps (loops cannot run forever), bounded recursion, bounded sizes of what a template
/// builds and outputs (<see cref="RuleTemplateSandbox"/>), and a time limit.
/// </summary>
public sealed partial class RuleTemplates
{
    public const int MaxOutputChars = 10_000;
    public const int MaxSteps = 10_000;
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(1);

    private static readonly FluidParser Parser = RuleTemplateSandbox.CreateParser();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _cache = new(StringComparer.Ordinal);

    /// <summary>Parsed templates kept at most; more clears the cache.</summary>
    internal const int MaxCachedTemplates = 2_048;

    internal int CachedTemplates => _cache.Count;

    private static readonly TemplateOptions Options = CreateOptions();

    public const int MaxRangeLength = 1_000;

    /// <summary>
    /// Parses a template and checks what it refers to (fields, filters, no files); the error says what is wrong
    /// (shown next to the field when a rule is saved).
    /// </summary>
    public static bool TryParse(string source, out string? error)
    {
        if (source.Length > MaxOutputChars)
        {
            error = $"Template is longer than {MaxOutputChars} characters.";
            return false;
        }

        if (UnsafeRange(source) is { } rangeError)
        {
            error = rangeError;
            return false;
        }

        if (!Parser.TryParse(source, out var template, out var parseError))
        {
            error = "Invalid Liquid template: " + parseError;
            return false;
        }

        error = RuleTemplateCheck.Problem(template, Options.Filters);
        return error is null;
    }

    /// <summary>Renders to text. Throws <see cref="RuleTemplateException"/> on any sandbox limit or template error.</summary>
    public async Task<string> RenderAsync(string source, JsonObject model)
    {
        if (UnsafeRange(source) is { } rangeError)
        {
            throw new RuleTemplateException(rangeError);
        }

        if (!_cache.TryGetValue(source, out var template))
        {
            template = Parser.TryParse(source, out var parsed, out var error)
                ? parsed
                : throw new RuleTemplateException("Invalid Liquid template: " + error);
            // Draft rules previewed through the API are any text a key holder sends: the cache must not grow with
            // them for good. Saved rules are few; after a clear they are parsed again on their next event.
            if (_cache.Count >= MaxCachedTemplates)
            {
                _cache.Clear();
            }

            _cache.TryAdd(source, template);
        }

        var context = new TemplateContext(Options);
        var budget = RuleTemplateSandbox.Begin(context, RenderTimeout);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, ToFluid(value));
        }

        using var output = new BoundedWriter(MaxOutputChars, budget, $"The template produced more than {MaxOutputChars} characters.");
        try
        {
            // Crisp fields are plain text: nothing is HTML-encoded. Rendering is synchronous: the sandbox's checks
            // (sizes, the clock) are what stop it, not a timeout around it.
            await template.RenderAsync(output, NullEncoder.Default, context);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("steps", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("recursion", StringComparison.OrdinalIgnoreCase))
        {
            throw new RuleTemplateException("The template does too much work (a loop or recursion limit was reached).");
        }
        catch (Exception ex) when (ex is not (RuleTemplateException or OperationCanceledException))
        {
            // Any failure inside a template (a division by zero, an overflow, a filter's own error) is this action's
            // problem, never the caller's: ingestion plans inside its commit and must not be refused for it.
            throw new RuleTemplateException("The template failed: " + ex.Message);
        }

        return output.ToString();
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            FileProvider = new NullFileProvider(),
            MaxSteps = MaxSteps,
            MaxRecursion = 10,
            StrictVariables = false,
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
        };
        RuleTemplateSandbox.BoundFilters(options.Filters);
        return options;
    }

    /// <summary>
    /// A data value: a template that is exactly one variable (<c>{{ properties.plan }}</c>) keeps that value's JSON
    /// type (number, boolean); anything else renders to a string. Null when it resolves to nothing.
    /// </summary>
    public async Task<JsonNode?> RenderValueAsync(string source, JsonObject model)
    {
        var single = SingleVariable().Match(source);
        if (single.Success)
        {
            var value = RuleMatcher.Resolve(model, single.Groups[1].Value);
            return value switch
            {
                null => null,
                JsonValue primitive when primitive.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.String => primitive.DeepClone(),
                _ => value.ToJsonString(),
            };
        }

        var text = await RenderAsync(source, model);
        return text.Length == 0 ? null : JsonValue.Create(text);
    }

    private static FluidValue ToFluid(JsonNode? node) => node switch
    {
        null => NilValue.Instance,
        JsonObject obj => new DictionaryValue(new FluidValueDictionaryFluidIndexable(
            obj.ToDictionary(p => p.Key, p => ToFluid(p.Value), StringComparer.Ordinal))),
        JsonArray array => new ArrayValue(array.Select(ToFluid).ToArray()),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => StringValue.Create(value.GetValue<string>()),
            JsonValueKind.Number => NumberValue.Create(decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0m),
            JsonValueKind.True => BooleanValue.True,
            JsonValueKind.False => BooleanValue.False,
            _ => NilValue.Instance,
        },
        _ => NilValue.Instance,
    };

    /// <summary>
    /// Liquid ranges are materialised as arrays before a loop's step limit can act, so <c>(1..1000000000)</c> would
    /// exhaust memory. Only literal integer bounds spanning at most <see cref="MaxRangeLength"/> values are allowed.
    /// </summary>
    private static string? UnsafeRange(string source)
    {
        foreach (Match range in RangePattern().Matches(source))
        {
            if (!long.TryParse(range.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var from)
                || !long.TryParse(range.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var to))
            {
                return "Ranges need literal integer bounds, e.g. (1..10).";
            }

            if (to - from >= MaxRangeLength)
            {
                return $"A range may span at most {MaxRangeLength} values.";
            }
        }

        return null;
    }

    [GeneratedRegex(@"\(\s*([^\s().]+)\s*\.\.\s*([^\s()]+)\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}$", RegexOptions.CultureInvariant)]
    private static partial Regex SingleVariable();
}

public sealed class RuleTemplateException(string message) : Exception(message);
