# IncidentBot in a container: built with the .NET SDK, run on the ASP.NET runtime as the image's non-root `app` user.
#   docker build --build-arg SOURCE_REVISION=$(git rev-parse --short HEAD) -t incidentbot .
# The build context has no .git (see .dockerignore), so the commit the version names comes in as a build argument.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The project files first, so that the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/IncidentBot/IncidentBot.csproj src/IncidentBot/
COPY src/IncidentBot.SlackFake/IncidentBot.SlackFake.csproj src/IncidentBot.SlackFake/
COPY src/IncidentBot.Slack.Wire/IncidentBot.Slack.Wire.csproj src/IncidentBot.Slack.Wire/
# For the build machine's runtime, as the publish below: ReadyToRun (IncidentBot.csproj) compiles for one runtime, and a
# publish without restoring finds only what was restored for it.
RUN dotnet restore src/IncidentBot/IncidentBot.csproj --use-current-runtime
# appsettings.json and manifest.yml live at the root and are linked into the project.
COPY appsettings.json manifest.yml ./
COPY src/ src/
ARG SOURCE_REVISION=
RUN dotnet publish src/IncidentBot/IncidentBot.csproj -c Release -o /app --no-restore --use-current-runtime -p:UseAppHost=false -p:SourceRevisionId=$SOURCE_REVISION

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# A new named volume takes the ownership of the image's /data, so the app user can write its database there.
RUN mkdir /data && chown $APP_UID /data
VOLUME /data
ENV ASPNETCORE_ENVIRONMENT=Production
ENV ASPNETCORE_HTTP_PORTS=8080
ENV ConnectionStrings__IncidentBot="Data Source=/data/incidentbot.db"
# The Slack-facing port; the management port (Management__Urls, e.g. http://0.0.0.0:9090) is opened by compose.yaml.
EXPOSE 8080
# No HEALTHCHECK: the runtime image has no curl, and adding one only for it would grow the attack surface. Probe
# /healthz/live and /healthz/ready from the orchestrator instead (README, "Production").
USER $APP_UID
ENTRYPOINT ["dotnet", "IncidentBot.dll"]
