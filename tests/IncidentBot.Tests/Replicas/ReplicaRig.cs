using IncidentBot.SlackFake;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Replicas of the bot as real processes (<c>dotnet IncidentBot.dll</c>, each with its own Hangfire server) on one
/// PostgreSQL database of their own, in front of one fake Slack on the real clock (a child process cannot share a
/// fake one): over HTTP behind the load balancer the fake plays, or each with its own Socket Mode connections.
/// Every process is killed and the database dropped at the end.
/// </summary>
public sealed class ReplicaRig : IAsyncDisposable
{
    private readonly PostgreSqlTestDatabase _database;
    private readonly List<BotProcess> _bots = [];
    private readonly List<int[]> _connections = [];
    private readonly string _postmortems;

    private ReplicaRig(FakeSlackServer slack, PostgreSqlTestDatabase database)
    {
        Slack = slack;
        _database = database;
        _postmortems = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId).Id;
    }

    public FakeSlackServer Slack { get; }

    public BotTransport Transport => Slack.Options.Transport;

    public IReadOnlyList<BotProcess> Bots => _bots;

    /// <summary>Where drafts go: a channel the bot is in.</summary>
    public string PostmortemChannel => _postmortems;

    /// <summary>The fake and the database; no replica yet (<see cref="StartReplicasAsync"/>).</summary>
    public static async Task<ReplicaRig> CreateAsync(BotTransport transport, Action<FakeSlackOptions>? configureSlack = null)
    {
        var database = await PostgreSqlTestDatabase.CreateAsync();
        var options = new FakeSlackOptions { Clock = TimeProvider.System, Transport = transport };
        configureSlack?.Invoke(options);
        return new ReplicaRig(await FakeSlackServer.StartNewAsync(options), database);
    }

    /// <summary>
    /// Starts <paramref name="count"/> replicas one after the other (the first migrates the empty database), each with
    /// <paramref name="socketConnections"/> Socket Mode connections over Socket Mode; returns once every one is healthy,
    /// the fake knows them all (HTTP) or all their connections are open (Socket Mode). Over Socket Mode, each replica's
    /// connections are the ones that opened while it started: <see cref="ConnectionsOf"/>. Incidents stay in the channel
    /// where they are declared unless <paramref name="dedicatedChannels"/>.
    /// </summary>
    public async Task StartReplicasAsync(int count, int socketConnections = 2, bool dedicatedChannels = false)
    {
        for (var i = 0; i < count; i++)
        {
            var options = BotHostOptions.ConnectedTo(Slack, Transport);
            options = dedicatedChannels ? options : options.InDeclaringChannel();
            foreach (var (key, value) in _database.Settings)
            {
                options.Settings[key] = value;
            }

            options.Settings["Incidents:PostmortemChannel"] = _postmortems;
            options.Settings["Slack:SocketConnections"] = socketConnections.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var bot = await BotProcess.StartAsync(options);
            _bots.Add(bot);
            if (Transport == BotTransport.SocketMode)
            {
                await Slack.SocketMode.WaitForOpenConnectionsAsync(_bots.Count * socketConnections, Eventually.DefaultTimeout);
                _connections.Add([.. Slack.SocketMode.OpenConnections.Select(c => c.Id).Except(_connections.SelectMany(c => c))]);
            }
        }

        Slack.ConnectBots([.. _bots.Select(b => b.BaseUrl)]);
    }

    /// <summary>The Socket Mode connections the <paramref name="replica"/>th replica (from 0) opened.</summary>
    public IReadOnlyList<int> ConnectionsOf(int replica) => _connections[replica];

    /// <summary>The replicas' database, for a test that holds its own connection (a lock, say).</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>Reads the replicas' database as it is now.</summary>
    public Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query) => _database.QueryAsync(query);

    /// <summary>What every replica wrote so far, for failure messages.</summary>
    public string Output => string.Join("\n", _bots.Select((b, i) => $"--- replica {i} ---\n{b.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var bot in _bots)
        {
            await bot.DisposeAsync();
        }

        await Slack.DisposeAsync();
        await _database.DisposeAsync();
    }
}
