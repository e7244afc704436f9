using System.Globalization;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>A template's output (or a captured block): refused past a number of characters or the render's time.</summary>
internal sealed class BoundedWriter(int limit, RuleTemplateSandbox.RenderBudget budget, string tooLong) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void Write(char value)
    {
        Check(1);
        base.Write(value);
    }

    public override void Write(string? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Check(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(System.Text.StringBuilder? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    private void Check(int adding)
    {
        if (GetStringBuilder().Length + adding > limit)
        {
            throw new RuleTemplateException(tooLong);
        }

        budget.CheckClock();
    }
}
