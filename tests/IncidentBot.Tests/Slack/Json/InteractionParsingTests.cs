using System.Text.Json;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Tests.Slack.Json;

public sealed class InteractionParsingTests
{
    [Fact]
    public void Block_actions_with_state_and_a_button()
    {
        var payload = Assert.IsType<BlockActions>(JsonSerializer.Deserialize<InteractionPayload>("""
            { "type": "block_actions", "api_app_id": "A123ABC456", "token": "x",
              "team": { "id": "T123ABC456", "domain": "acme" }, "user": { "id": "U123ABC456", "name": "ana" },
              "container": { "type": "message", "message_ts": "1548261231.000200", "channel_id": "C123ABC456", "is_ephemeral": false },
              "channel": { "id": "C123ABC456", "name": "inc-42-db-outage" },
              "message": { "type": "message", "ts": "1548261231.000200", "text": "…", "blocks": [] },
              "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
              "response_url": "https://hooks.slack.com/actions/T123/456/abc",
              "state": { "values": { "sev_block": { "sev_select": { "type": "static_select",
                         "selected_option": { "value": "sev1", "text": { "type": "plain_text", "text": "SEV1" } } } } } },
              "actions": [ { "type": "button", "action_id": "ack_incident", "block_id": "actions_1",
                             "text": { "type": "plain_text", "text": "Acknowledge" }, "value": "INC-42",
                             "action_ts": "1548426417.840180" } ] }
            """, SlackJson.Options));
        Assert.Equal("U123ABC456", payload.User.Id);
        Assert.Equal("C123ABC456", payload.Container!.ChannelId);
        Assert.Equal("1548261231.000200", payload.Message!.Ts);
        var action = Assert.Single(payload.Actions);
        Assert.Equal("ack_incident", action.ActionId);
        Assert.Equal("INC-42", action.Value);
        Assert.Equal("sev1", payload.State!.Get("sev_block", "sev_select")!.SelectedOption!.Value);
        Assert.Equal("https://hooks.slack.com/actions/T123/456/abc", payload.ResponseUrl);
    }

    [Fact]
    public void View_submission_with_input_values()
    {
        var payload = Assert.IsType<ViewSubmission>(JsonSerializer.Deserialize<InteractionPayload>("""
            { "type": "view_submission", "api_app_id": "A123ABC456", "trigger_id": "1.2.abc",
              "team": { "id": "T123ABC456", "domain": "acme" }, "user": { "id": "U123ABC456", "name": "ana" },
              "view": { "id": "V123ABC456", "type": "modal", "callback_id": "declare_incident",
                        "private_metadata": "C123ABC456", "hash": "156663117.cd33ad1f",
                        "state": { "values": { "title_block": { "title_input": { "type": "plain_text_input", "value": "DB outage" } },
                                               "lead_block": { "lead_select": { "type": "users_select", "selected_user": "U777" } } } } },
              "response_urls": [] }
            """, SlackJson.Options));
        Assert.Equal("declare_incident", payload.View.CallbackId);
        Assert.Equal("C123ABC456", payload.View.PrivateMetadata);
        Assert.Equal("DB outage", payload.View.State!.Get("title_block", "title_input")!.Value);
        Assert.Equal("U777", payload.View.State.Get("lead_block", "lead_select")!.SelectedUser);
    }

    [Fact]
    public void Shortcuts_parse_with_their_callback_id_and_message()
    {
        var global = JsonSerializer.Deserialize<InteractionPayload>("""{"type":"shortcut","callback_id":"declare_incident","trigger_id":"1.2.a","user":{"id":"U1"}}""", SlackJson.Options);
        var message = JsonSerializer.Deserialize<InteractionPayload>(
            """{"type":"message_action","callback_id":"add_to_timeline","channel":{"id":"C1"},"message_ts":"1.000002","message":{"type":"message","user":"U2","ts":"1.000002","text":"hi"},"user":{"id":"U1"}}""",
            SlackJson.Options);

        Assert.Equal("declare_incident", Assert.IsType<GlobalShortcut>(global).CallbackId);
        var shortcut = Assert.IsType<MessageShortcut>(message);
        Assert.Equal(("add_to_timeline", "C1", "1.000002", "U2", "hi"), (shortcut.CallbackId, shortcut.Channel.Id, shortcut.Message.Ts, shortcut.Message.User, shortcut.Message.Text));
    }

    [Fact]
    public void Other_interaction_types_parse_as_unknown()
    {
        var payload = JsonSerializer.Deserialize<InteractionPayload>("""{"type":"block_suggestion","action_id":"x","user":{"id":"U1"}}""", SlackJson.Options);
        Assert.IsType<UnknownInteraction>(payload);
        Assert.Equal("block_suggestion", payload!.Type);
    }
}
