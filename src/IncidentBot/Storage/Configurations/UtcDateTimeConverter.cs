using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IncidentBot.Storage.Configurations;

/// <summary>Stores UTC and reads it back as UTC, so no time is ever taken for local time (the "hour off" bug).</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(value => ToStore(value), value => DateTime.SpecifyKind(value, DateTimeKind.Utc))
{
    // default(DateTime) has no kind to be wrong about; EF's model compiler converts it as the CLR default (sentinel).
    private static DateTime ToStore(DateTime value) =>
        value.Kind == DateTimeKind.Utc || value == default ? value : throw new ArgumentException("Only UTC times are stored.", nameof(value));
}
