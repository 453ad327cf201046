using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansML.Repository;

public static class RepositorySiloBuilderExtensions
{
    /// <summary>
    /// Watches the repository <c>OrleansML:Repository:Url</c> names, when it names one: every silo, once active, asks
    /// the poller grain to start (it is one grain, so the cluster polls once). A bad setting stops the silo at startup.
    /// </summary>
    public static ISiloBuilder AddModelRepository(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection(RepositoryOptions.SectionName);
        silo.Services.Configure<RepositoryOptions>(section);
        var options = section.Get<RepositoryOptions>() ?? new RepositoryOptions();
        if (!options.Enabled)
        {
            return silo;
        }

        options.Validate();
        silo.Services.AddSingleton(_ => RepositorySources.Create(options));
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IModelRepositoryGrain>(0).StartAsync());
        return silo;
    }
}
