using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.History;
using OrleansML.Storage;

namespace OrleansML.Repository;

/// <summary>
/// The one poller of the cluster's model repository: a grain timer polls every <see cref="RepositoryOptions.PollInterval"/>,
/// and a reminder activates the grain again (re-arming the timer) after its silo dies. Every silo asks it to start
/// when it starts, and Orleans keeps one activation, so N silos poll once.
/// </summary>
public sealed partial class ModelRepositoryGrain(
    [PersistentState(stateName: "repository", storageName: StorageNames.Platform)] IPersistentState<RepositoryState> state,
    IOptions<RepositoryOptions> options,
    IServiceProvider services,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<ModelRepositoryGrain> logger) : Grain, IModelRepositoryGrain, IRemindable
{
    private const string ReminderName = "repository-poll";

    private IGrainTimer? _timer;
    private RepositoryPoll? _poll;
    private RepositoryStatus? _status;

    private RepositoryOptions Options => options.Value;

    /// <summary>Any activation polls: the one a status read or the reminder brings up after the poller's silo died too.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Options.Enabled)
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        if (!Options.Enabled)
        {
            return;
        }

        // Reminders fire at most once a minute; the timer keeps the configured pace while the grain lives.
        var period = Options.PollInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : Options.PollInterval;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
        ArmTimer();
    }

    public Task<RepositoryStatus> GetStatusAsync() => Task.FromResult(_status ??= Initial());

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Options.Enabled)
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    private void ArmTimer() =>
        _timer ??= this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = Options.PollInterval,
            Interleave = false,
            KeepAlive = true,
        });

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        ChangeActor.Set(ChangeActor.Repository);
        _poll ??= new RepositoryPoll(
            services.GetRequiredService<IRepositorySource>(), services.GetRequiredService<IArtifactStore>(), GrainFactory, time, logger);
        var before = Fingerprint();
        _status = await _poll.RunAsync(state.State, _status ?? Initial(), cancellationToken);
        if (Fingerprint() != before)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private string Fingerprint() =>
        string.Join('\n', state.State.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Value.ToString())
            .Concat(state.State.AppliedConfigs.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));

    /// <summary>The status before the first poll of this activation: what earlier activations handled, and where this one runs.</summary>
    private RepositoryStatus Initial() => new()
    {
        Enabled = Options.Enabled,
        Url = Options.Enabled ? Options.Url : null,
        PollInterval = Options.PollInterval,
        Silo = silo.SiloAddress.ToParsableString(),
        Models = state.State.Versions.Values.GroupBy(v => v.Model).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RepositoryModelStatus { Name = g.Key, Versions = g.OrderBy(v => v.Version).Select(v => v.ToStatus()).ToArray() })
            .ToArray(),
    };
}
