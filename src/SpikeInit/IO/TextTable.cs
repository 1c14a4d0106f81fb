using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SpikeInit.IO;

/// <summary>
/// A table of formatted cells, built once by a report and shown twice: in its HTML file (<see cref="ToHtml"/>, on a page
/// started by <see cref="HtmlPage"/>) and on the console (the command line renders the same columns and rows).
/// </summary>
/// <param name="Columns">Column headers.</param>
/// <param name="Rows">Rows of cells, as many as there are columns.</param>
public sealed record TextTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The table as an HTML <c>&lt;table&gt;</c> (cells encoded).</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder("<table><tr>");
        foreach (string c in Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("</tr>");
        foreach (IReadOnlyList<string> row in Rows)
        {
            sb.Append("<tr>");
            foreach (string cell in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table>").ToString();
    }

    /// <summary>
    /// The table as JSON lines: one object per row, keyed by column header; cells that are finite numbers (invariant culture)
    /// become JSON numbers, the others strings.
    /// </summary>
    public IEnumerable<string> JsonLines() => Rows.Select(row =>
    {
        var o = new JsonObject();
        for (int i = 0; i < Columns.Count && i < row.Count; i++)
            o[Columns[i]] = double.TryParse(row[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? JsonValue.Create(v) : JsonValue.Create(row[i]);
        return o.ToJsonString();
    });

    /// <summary>
    /// The start of a report page: doctype, title, the one stylesheet of SpikeInit's reports (readable tables, plots that fit
    /// the page) and an <c>h1</c> with <paramref name="title"/>. Close it with <c>&lt;/body&gt;&lt;/html&gt;</c>.
    /// </summary>
    public static StringBuilder HtmlPage(string title)
    {
        string t = WebUtility.HtmlEncode(title);
        return new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(t).Append("</title><style>")
            .Append("body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .Append("td:first-child{text-align:left}img{max-width:100%}</style></head><body><h1>").Append(t).Append("</h1>");
    }
}
