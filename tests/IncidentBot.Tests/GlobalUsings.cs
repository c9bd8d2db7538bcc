// Every capability reaches its tables through extension properties in its own namespace (db.Incidents, db.People…);
// tests read across all of them.
global using IncidentBot.BackgroundJobs.Sweep;
global using IncidentBot.ExactlyOnce;
global using IncidentBot.Incidents;
global using IncidentBot.Incidents.Jobs;
global using IncidentBot.People;
global using IncidentBot.PostMortems;
global using IncidentBot.Slack.WebApi;
global using IncidentBot.Timeline;
