using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// Keeps a template's memory and time bounded. Fluid's step limit counts statements, not the size of what they build,
/// and its rendering is synchronous, so no timeout around it can stop it: a loop doubling a string with <c>append</c>
/// reached gigabytes. Here every filter's result and every <c>capture</c> is measured against a per-value and a
/// per-render limit, the filters whose one call could build far more than their inputs are checked before they run,
/// and the render's clock is looked at each time.
/// </summary>
internal static partial class RuleTemplateSandbox
{
    /// <summary>The most one value may hold: characters of a string, items plus characters of a list.</summary>
    public const int MaxValueChars = 100_000;

    /// <summary>The most all of one render's filters and captures may build together.</summary>
    public const int MaxBuiltChars = 1_000_000;

    private const string BudgetKey = "IntegrationHub.Rules.RenderBudget";

    public static FluidParser CreateParser()
    {
        var parser = new FluidParser();

        // Fluid's own capture and ifchanged buffer their block in a writer nothing bounds.
        parser.RegisteredTags.Remove("ifchanged");
        parser.RegisterIdentifierBlock("capture", CaptureAsync);
        return parser;
    }

    public static void BoundFilters(FilterCollection filters)
    {
        foreach (var (name, filter) in filters.ToList())
        {
            filters.AddFilter(name, Bounded(name, filter));
        }
    }

    public static RenderBudget Begin(TemplateContext context, TimeSpan timeout)
    {
        var budget = new RenderBudget(timeout);
        context.AmbientValues[BudgetKey] = budget;
        return budget;
    }

    private static RenderBudget Budget(TemplateContext context) =>
        context.AmbientValues.TryGetValue(BudgetKey, out var budget) && budget is RenderBudget found
            ? found
            : throw new InvalidOperationException("Templates render through RuleTemplates only.");

    private static FilterDelegate Bounded(string name, FilterDelegate filter) => async (input, arguments, context) =>
    {
        var budget = Budget(context);
        budget.CheckClock();
        budget.CheckSize(Beforehand(name, input, arguments));
        var result = await filter(input, arguments, context);
        budget.Charge(Measure(result));
        return Whole(result);
    };

    /// <summary>
    /// Fluid's <c>truncate</c>, <c>slice</c> and <c>first</c> cut strings by char count, which can halve an emoji; the
    /// half left would reach Crisp as a lone surrogate. It is dropped, as a cut between text elements would.
    /// </summary>
    private static FluidValue Whole(FluidValue result)
    {
        if (result is not StringValue text)
        {
            return result;
        }

        var value = text.ToStringValue();
        var whole = TextCut.WithoutLoneSurrogates(value);
        return ReferenceEquals(whole, value) ? result : new StringValue(whole, text.Encode);
    }

    /// <summary>
    /// The size a filter's result could reach, for the filters whose one call can build far more than its inputs
    /// (each match replaced by a long text, a long separator between many items, a format asking for a huge width);
    /// zero for the others, whose results are measured once built.
    /// </summary>
    private static long Beforehand(string name, FluidValue input, FilterArguments arguments)
    {
        switch (name)
        {
            case "replace":
            {
                var text = input.ToStringValue();
                var search = arguments.At(0).ToStringValue();
                var replacement = arguments.At(1).ToStringValue();
                var matches = search.Length == 0 ? text.Length + 1L : Occurrences(text, search);
                return text.Length + (matches * Math.Max(0, replacement.Length - search.Length));
            }

            case "join" when input is ArrayValue array:
                return Measure(array) + ((long)array.Values.Count * Math.Max(1, arguments.At(0).ToStringValue().Length));

            case "date" or "format_date" or "format_number" when HugeNumber().IsMatch(arguments.At(0).ToStringValue()):
            case "format_string" when HugeNumber().IsMatch(input.ToStringValue()):
                throw new RuleTemplateException($"The '{name}' filter's format may not ask for a width or precision of 1000 or more.");

            default:
                return 0;
        }
    }

    private static long Occurrences(string text, string search)
    {
        long count = 0;
        for (var at = text.IndexOf(search, StringComparison.Ordinal); at >= 0; at = text.IndexOf(search, at + search.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static long Measure(FluidValue value, int depth = 0) => value switch
    {
        StringValue text => text.ToStringValue().Length,
        ArrayValue array when depth < 4 => array.Values.Count + array.Values.Sum(item => Measure(item, depth + 1)),
        ArrayValue array => array.Values.Count,
        _ => 1,
    };

    private static async ValueTask<Completion> CaptureAsync(string identifier, IReadOnlyList<Statement> statements, TextWriter writer, TextEncoder encoder, TemplateContext context)
    {
        var budget = Budget(context);
        using var captured = new BoundedWriter(MaxValueChars, budget, $"The template captures more than {MaxValueChars} characters.");
        var completion = Completion.Normal;
        foreach (var statement in statements)
        {
            completion = await statement.WriteToAsync(captured, encoder, context);
            if (completion != Completion.Normal)
            {
                break;
            }
        }

        var text = captured.ToString();
        budget.Charge(text.Length);
        context.SetValue(identifier, new StringValue(text, false));
        return completion;
    }

    [GeneratedRegex(@"[1-9][0-9]{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex HugeNumber();

    /// <summary>One render's clock and the sizes its filters and captures built.</summary>
    internal sealed class RenderBudget(TimeSpan timeout)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _built;

        public void CheckClock()
        {
            if (Stopwatch.GetElapsedTime(_started) > timeout)
            {
                throw new RuleTemplateException($"The template took longer than {timeout.TotalSeconds:0} s to render.");
            }
        }

        public void CheckSize(long size)
        {
            if (size > MaxValueChars)
            {
                throw new RuleTemplateException($"The template builds a value of more than {MaxValueChars} characters (or list items).");
            }
        }

        public void Charge(long size)
        {
            CheckSize(size);
            _built += size;
            if (_built > MaxBuiltChars)
            {
                throw new RuleTemplateException($"The template builds more than {MaxBuiltChars} characters in all.");
            }

            CheckClock();
        }
    }
}
