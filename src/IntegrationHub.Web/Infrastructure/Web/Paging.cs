using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace IntegrationHub.Web.Infrastructure.Web;

/// <summary>Where a paged dashboard table is: which page of how many, and the link to another page of it.</summary>
public sealed record Pager(int Number, int Count, string Path, string Parameter = Paging.PageParameter)
{
    public bool HasPrevious => Number > 1;

    public bool HasNext => Number < Count;

    /// <summary>
    /// The link to page <paramref name="number"/>, keeping every other parameter of <paramref name="current"/> (the
    /// request's query string: another table's page on the same page, a filter) in its place and with all its values;
    /// only this pager's own parameter (in any letter case, as model binding reads it) is replaced.
    /// </summary>
    public string Link(int number, IEnumerable<KeyValuePair<string, StringValues>>? current = null)
    {
        var value = number.ToString(CultureInfo.InvariantCulture);
        var pairs = new List<KeyValuePair<string, string>>();
        var placed = false;
        foreach (var (key, values) in current ?? [])
        {
            if (string.Equals(key, Parameter, StringComparison.OrdinalIgnoreCase))
            {
                if (!placed)
                {
                    pairs.Add(new(Parameter, value));
                    placed = true;
                }

                continue;
            }

            if (values.Count == 0)
            {
                pairs.Add(new(key, string.Empty));
            }

            foreach (var item in values)
            {
                pairs.Add(new(key, item ?? string.Empty));
            }
        }

        if (!placed)
        {
            pairs.Add(new(Parameter, value));
        }

        return Path + new QueryBuilder(pairs).ToString();
    }
}

/// <summary>
/// Numbered pages of 50 rows for the dashboard's small tables (rules, keys, members, websites). The page number comes
/// from the query string as typed by anyone, so anything unusable falls back to a page that exists instead of a 500 or
/// an empty table. The query must already be ordered by a unique key, or rows could repeat or vanish between pages.
/// </summary>
public static class Paging
{
    public const int PageSize = 50;
    public const string PageParameter = "page";

    public static async Task<(List<T> Rows, Pager Pager)> PageAsync<T>(
        IQueryable<T> ordered, string? page, string path, CancellationToken cancellationToken, string parameter = PageParameter)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var count = Math.Max(1, (total + PageSize - 1) / PageSize);
        var number = Resolve(page, count);
        var rows = await ordered.Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return (rows, new Pager(number, count, path, parameter));
    }

    /// <summary>Missing, non-numeric, zero or negative is the first page; past the end (however far) is the last.</summary>
    public static int Resolve(string? page, int count)
    {
        if (long.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number < 1 ? 1 : (int)Math.Min(number, count);
        }

        // Only digits, yet too long for a number: far past the end.
        return !string.IsNullOrEmpty(page) && page.All(char.IsAsciiDigit) ? count : 1;
    }
}
