using System.Net;
using System.Text;

namespace SpikeInit.IO;

/// <summary>
/// A table of formatted cells, built once by a report and shown twice: in its HTML file (<see cref="ToHtml"/>) and on the
/// console (the command line renders the same columns and rows), so the two never drift apart.
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
}
