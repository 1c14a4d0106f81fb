using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpikeInit.Training;

/// <summary>
/// A metric in JSON: a finite number, or <c>null</c> for an undefined one (NaN, e.g. the accuracy of an empty split), which
/// reads back as NaN. JSON has no NaN or infinity, so without this one undefined metric made a checkpoint unwritable.
/// </summary>
internal sealed class FiniteOrNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
