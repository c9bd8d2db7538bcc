using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage;

/// <summary>
/// Declares one of a capability's <see cref="IEntityTypeConfiguration{TEntity}"/> classes to the bot's model, in the
/// capability's own file: <c>[assembly: ModelConfiguration&lt;PersonConfiguration, Person&gt;]</c>. The context applies
/// exactly the declared ones, so Storage still knows no capability, without scanning the assembly: EF's
/// <c>ApplyConfigurationsFromAssembly</c> loads every type of it, and with them every assembly those touch (the fake
/// Slack, Npgsql, the Liquid and Markdown parsers) into every bot at every start (issue 14's start-up and idle memory).
/// A test holds the declarations to the classes, so a configuration left undeclared fails the build's tests.
/// </summary>
internal abstract class ModelConfigurationAttribute : Attribute
{
    public abstract Type Configuration { get; }

    public abstract void Apply(ModelBuilder modelBuilder);

    /// <summary>The configurations declared in the bot's assembly.</summary>
    public static IEnumerable<ModelConfigurationAttribute> Declared() =>
        typeof(ModelConfigurationAttribute).Assembly.GetCustomAttributes(typeof(ModelConfigurationAttribute), inherit: false).Cast<ModelConfigurationAttribute>();
}

[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class ModelConfigurationAttribute<TConfiguration, TEntity> : ModelConfigurationAttribute
    where TConfiguration : IEntityTypeConfiguration<TEntity>, new()
    where TEntity : class
{
    public override Type Configuration => typeof(TConfiguration);

    public override void Apply(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new TConfiguration());
}
