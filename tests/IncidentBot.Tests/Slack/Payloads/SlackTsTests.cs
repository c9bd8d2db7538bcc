using IncidentBot.Slack.Payloads;

namespace IncidentBot.Tests.Slack.Payloads;

public sealed class SlackTsTests
{
    [Theory]
    [InlineData("1355517523.000005", "2012-12-14T20:38:43.0000050+00:00")]
    [InlineData("1673464745.620769", "2023-01-11T19:19:05.6207690+00:00")]
    [InlineData("1531420618", "2018-07-12T18:36:58.0000000+00:00")]
    public void Ts_is_seconds_plus_microseconds_in_utc(string ts, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SlackTs.Parse(ts).ToDateTimeOffset());
    }

    [Fact]
    public void Ordering_uses_integer_parts_not_floating_point()
    {
        var earlier = SlackTs.Parse("1673464745.620769");
        var later = SlackTs.Parse("1673464745.620770");
        Assert.True(earlier < later);
        Assert.True(SlackTs.Parse("1673464745.5") > SlackTs.Parse("1673464745.499999"));
        Assert.True(SlackTs.Parse("999999999.999999") < SlackTs.Parse("1000000000.000000"));
    }

    [Fact]
    public void Original_text_is_kept_exactly()
    {
        Assert.Equal("1355517523.000005", SlackTs.Parse("1355517523.000005").Value);
    }

    [Fact]
    public void Round_trips_through_an_instant()
    {
        var instant = new DateTimeOffset(2017, 9, 21, 6, 42, 5, TimeSpan.Zero).AddTicks(1234560);
        var ts = SlackTs.FromDateTimeOffset(instant);
        Assert.Equal("1505976125.123456", ts.Value);
        Assert.Equal(instant, ts.ToDateTimeOffset());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("-5.000001")]
    [InlineData("1355517523.0000051")]
    [InlineData("123.")]
    [InlineData(".5")]
    [InlineData(" 123.000001")]
    [InlineData("+123.000001")]
    [InlineData("1234567890123.000001")]
    [InlineData("253402300800.000000")]
    public void Malformed_values_do_not_parse(string? value)
    {
        Assert.False(SlackTs.TryParse(value, out _));
    }

    [Fact]
    public void A_dot_promises_a_fraction_so_123_dot_is_refused_while_123_alone_is_its_whole_second()
    {
        Assert.False(SlackTs.TryParse("123.", out _));
        Assert.Equal(SlackTs.Parse("123.000000"), SlackTs.Parse("123"));
    }

    [Fact]
    public void Equal_instants_are_equal_whatever_their_text_and_made_ones_are_written_with_six_digits()
    {
        Assert.Equal(SlackTs.Parse("1673464745.500000"), SlackTs.Parse("1673464745.5"));
        Assert.Equal("1673464745.500000", SlackTs.FromParts(1673464745, 500000).Value);
        Assert.Equal("1673464745.5", SlackTs.Parse("1673464745.5").ToString());
        Assert.Equal("0.000000", default(SlackTs).ToString());
    }

    [Fact]
    public void The_next_microsecond_carries_into_the_next_second()
    {
        Assert.Equal("1673464745.000000", SlackTs.Parse("1673464744.999999").NextMicrosecond().Value);
        Assert.Equal("1673464744999999", SlackTs.Parse("1673464744.999999").ToDigits());
    }
}
