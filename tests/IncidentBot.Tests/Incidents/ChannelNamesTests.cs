using System.Text.RegularExpressions;
using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

/// <summary>Channel names (and the draft's file name) read as the title in ASCII, whatever script it was typed in.</summary>
public sealed partial class ChannelNamesTests
{
    private static readonly DateTime Declared = new(2017, 9, 20, 6, 5, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("Consumer app outage", "inc-2017-09-20-consumer-app-outage")]
    [InlineData("Café down", "inc-2017-09-20-cafe-down")]
    [InlineData("Straße gesperrt, Ærø offline", "inc-2017-09-20-strasse-gesperrt-aero-offline")]
    [InlineData("Сбой оплаты", "inc-2017-09-20-sboy-oplaty")]
    [InlineData("Объявление не работает", "inc-2017-09-20-obyavlenie-ne-rabotaet")]
    [InlineData("支付故障", "inc-2017-09-20-zhifuguzhang")]
    [InlineData("Checkout won’t load", "inc-2017-09-20-checkout-wont-load")]
    [InlineData("🚨 Checkout 🔥 down", "inc-2017-09-20-checkout-down")]
    public void A_title_in_any_script_gives_a_readable_name(string title, string expected)
    {
        Assert.Equal(expected, ChannelNames.For("inc", Declared, title, "INC-42"));
    }

    [Theory]
    [InlineData("🔥🔥🔥")]
    [InlineData("👨‍👩‍👧 👍🏽 🇺🇸")]
    [InlineData("?!… — ***")]
    [InlineData("© ™ °")]
    public void A_title_with_nothing_to_spell_is_named_by_its_incident_number(string title)
    {
        Assert.Equal("inc-2017-09-20-inc-42", ChannelNames.For("inc", Declared, title, "INC-42"));
        Assert.Equal("inc-42", ChannelNames.Slug(title, "INC-42"));
    }

    [Theory]
    [InlineData("支付系统在高峰期间完全故障导致所有用户无法完成订单支付并且退款流程也同时中断需要紧急处理和恢复服务")]
    [InlineData("Платёжный шлюз не отвечает на запросы от мобильного приложения и веб-сайта уже больше часа подряд")]
    public void A_long_transliterated_title_keeps_to_slacks_rules(string title)
    {
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var name = ChannelNames.For("inc", Declared, title, "INC-42", attempt);

            Assert.Matches(SlackChannelName(), name);
            Assert.DoesNotMatch("--|-$", name);
        }

        Assert.InRange(ChannelNames.Slug(title, "INC-42").Length, 1, ChannelNames.MaxLength);
    }

    [GeneratedRegex("^[a-z0-9_-]{1,80}$")]
    private static partial Regex SlackChannelName();
}
