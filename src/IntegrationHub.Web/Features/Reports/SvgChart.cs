using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace IntegrationHub.Web.Features.Reports;

/// <summary>
/// Small server-rendered SVG bar charts: no script, no CDN, readable offline and by screen readers (a title per bar
/// and the same numbers in a table next to the chart).
/// </summary>
public static class SvgChart
{
    public sealed record Series(string Name, string CssClass, IReadOnlyList<int> Values);

    public static IHtmlContent Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, int height = 180)
    {
        const int width = 720;
        const int left = 40;
        const int bottom = 24;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var groupWidth = (width - left) / (double)Math.Max(1, labels.Count);
        var barWidth = Math.Max(2, (groupWidth - 6) / Math.Max(1, series.Count));
        var plot = height - bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Encode(title)}\"><title>{Encode(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" y1=\"{plot}\" x2=\"{width}\" y2=\"{plot}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left - 6}\" y=\"12\" text-anchor=\"end\">{max}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{plot}\" text-anchor=\"end\">0</text>");
        for (var i = 0; i < labels.Count; i++)
        {
            var groupX = left + i * groupWidth + 3;
            for (var s = 0; s < series.Count; s++)
            {
                var value = i < series[s].Values.Count ? series[s].Values[i] : 0;
                var barHeight = (plot - 4) * value / (double)max;
                var x = groupX + s * barWidth;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"{series[s].CssClass}\" x=\"{x:0.#}\" y=\"{plot - barHeight:0.#}\" width=\"{barWidth - 1:0.#}\" height=\"{barHeight:0.#}\"><title>{Encode(labels[i])} · {Encode(series[s].Name)}: {value}</title></rect>");
            }

            if (labels.Count <= 16 || i % 2 == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{groupX + groupWidth / 2 - 3:0.#}\" y=\"{height - 6}\" text-anchor=\"middle\">{Encode(labels[i])}</text>");
            }
        }

        svg.Append("</svg><div class=\"legend\">");
        foreach (var s in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<span><i class=\"{s.CssClass}\"></i>{Encode(s.Name)}</span>");
        }

        svg.Append("</div>");
        return new HtmlString(svg.ToString());
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
