using Fluid;
using Fluid.Ast;
using Fluid.Parser;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// What a parsed template refers to, checked when a rule is saved: a misspelt field (<c>propertes.plan</c>) renders
/// nothing at every event, an unknown filter is silently skipped, and include/render fail at every event.
/// </summary>
internal sealed class RuleTemplateCheck(FilterCollection filters) : AstVisitor
{
    /// <summary>The event model's names (see <see cref="RuleEvent.ToModel"/>).</summary>
    public static readonly string[] Fields = ["event", "email", "user_id", "timestamp", "properties"];

    private readonly HashSet<string> _defined = new(StringComparer.Ordinal) { "forloop", "tablerowloop" };
    private readonly List<string> _read = [];
    private readonly List<string> _filters = [];
    private bool _readsFiles;

    public static string? Problem(IFluidTemplate template, FilterCollection filters)
    {
        var check = new RuleTemplateCheck(filters);
        check.VisitTemplate(template);
        if (check._readsFiles)
        {
            return "include and render are not available: templates cannot read other templates or files.";
        }

        if (check._filters.FirstOrDefault(name => !check.Knows(name)) is { } filter)
        {
            return $"Unknown filter '{filter}'.";
        }

        // Variables a template assigns count wherever they are assigned: templates are short, and the order of
        // blocks does not make a name misspelt.
        if (check._read.FirstOrDefault(name => !Fields.Contains(name, StringComparer.Ordinal) && !check._defined.Contains(name)) is { } unknown)
        {
            return $"Unknown field '{unknown}': use event, email, user_id, timestamp or properties.<name>, or a variable the template assigns.";
        }

        return null;
    }

    private bool Knows(string filter) => filters.TryGetValue(filter, out _);

    protected override Expression VisitMemberExpression(MemberExpression memberExpression)
    {
        if (memberExpression.Segments.Count > 0 && memberExpression.Segments[0] is IdentifierSegment root)
        {
            _read.Add(root.Identifier);
        }

        return base.VisitMemberExpression(memberExpression);
    }

    protected override Expression VisitFilterExpression(FilterExpression filterExpression)
    {
        _filters.Add(filterExpression.Name);
        return base.VisitFilterExpression(filterExpression);
    }

    protected override Statement VisitAssignStatement(AssignStatement assignStatement)
    {
        _defined.Add(assignStatement.Identifier);
        return base.VisitAssignStatement(assignStatement);
    }

    protected override Statement VisitForStatement(ForStatement forStatement)
    {
        _defined.Add(forStatement.Identifier);
        return base.VisitForStatement(forStatement);
    }

    protected override Statement VisitTableRowStatement(TableRowStatement tableRowStatement)
    {
        _defined.Add(tableRowStatement.Identifier);
        return base.VisitTableRowStatement(tableRowStatement);
    }

    protected override Statement VisitIncrementStatement(IncrementStatement incrementStatement)
    {
        _defined.Add(incrementStatement.Identifier);
        return base.VisitIncrementStatement(incrementStatement);
    }

    protected override Statement VisitDecrementStatement(DecrementStatement decrementStatement)
    {
        _defined.Add(decrementStatement.Identifier);
        return base.VisitDecrementStatement(decrementStatement);
    }

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
    {
        _defined.Add(captureStatement.Identifier);
        return base.VisitCaptureStatement(captureStatement);
    }

    // The sandbox's own capture block (see RuleTemplateSandbox): its value is the captured name.
    protected override Statement VisitParserBlockStatement<T>(ParserBlockStatement<T> statement)
    {
        if (statement.TagName == "capture" && statement.Value is string identifier)
        {
            _defined.Add(identifier);
        }

        return base.VisitParserBlockStatement(statement);
    }

    protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
    {
        _readsFiles = true;
        return base.VisitIncludeStatement(includeStatement);
    }

    protected override Statement VisitRenderStatement(RenderStatement renderStatement)
    {
        _readsFiles = true;
        return base.VisitRenderStatement(renderStatement);
    }
}
