using Microsoft.Extensions.Logging;
using OrleansML.History;
using OrleansML.Jobs;

namespace OrleansML.Serving.Rollouts;

/// <summary>
/// Drives a model grain's rollout: a grain timer looks at the figures of every silo and applies what
/// <see cref="RolloutPlan"/> decides, and a reminder activates the grain again (re-arming the timer) after its silo
/// dies. The rollout itself lives in the grain's state; <paramref name="apply"/> stores a new one (committing it,
/// and so pushing it to every silo, when asked). The counters a step started from stay in memory: a grain
/// activated again measures its running step anew.
/// </summary>
public sealed partial class RolloutDriver(
    IGrainBase grain,
    string model,
    ClusterBroadcast cluster,
    ServingOptions options,
    ILogger logger,
    Func<RolloutInfo?> current,
    Func<RolloutInfo, bool, Task> apply)
{
    private static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(5);

    private RolloutSample? _stepStart;
    private IGrainTimer? _timer;

    /// <summary>Re-arms the timer of a rollout that was running when the grain was last active.</summary>
    public void Resume()
    {
        if (current() is { IsRunning: true })
        {
            ArmTimer();
        }
    }

    public async Task StartAsync(RolloutSpec spec, int baselineVersion)
    {
        // Registered before the rollout is stored: a reminder left by a failed write finds no rollout and removes itself.
        await ResumeReminder.RegisterAsync(grain, options.RolloutReminderPeriod);
        var rollout = RolloutPlan.Start(spec, baselineVersion, DateTimeOffset.UtcNow);
        _stepStart = await SampleAsync(rollout);
        await apply(rollout, true);
        ArmTimer();
    }

    public Task AbortAsync(RolloutInfo rollout) => EndAsync(RolloutPlan.Abort(rollout, DateTimeOffset.UtcNow));

    public async Task OnReminderAsync()
    {
        if (current() is not { IsRunning: true })
        {
            await RemoveReminderAsync();
        }
        else if (_timer is null)
        {
            LogResumed(logger, model);
            ArmTimer();
        }
    }

    private void ArmTimer() =>
        _timer ??= grain.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = options.RolloutTickInterval,
            Period = options.RolloutTickInterval,
            Interleave = false,
            KeepAlive = true,
        });

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (current() is not { IsRunning: true } rollout)
        {
            DisarmTimer();
            return;
        }

        ChangeActor.Set(ChangeActor.Rollout);
        var sample = await SampleAsync(rollout);
        if (_stepStart is null)
        {
            _stepStart = sample;
            await apply(RolloutPlan.Restart(rollout, DateTimeOffset.UtcNow), false);
            return;
        }

        var next = RolloutPlan.Judge(rollout, sample.Since(_stepStart), DateTimeOffset.UtcNow);
        switch (next.Decision)
        {
            case RolloutDecision.Wait:
                // Live figures for GET; not committed, so not pushed to the silos every tick.
                await apply(next, false);
                break;
            case RolloutDecision.Advance:
                LogDecision(logger, model, next.Decision, next.Reason);
                await apply(next, true);
                _stepStart = await SampleAsync(next);
                break;
            default:
                LogDecision(logger, model, next.Decision, next.Reason);
                await EndAsync(next);
                break;
        }
    }

    private async Task EndAsync(RolloutInfo ended)
    {
        await apply(ended, true);
        DisarmTimer();
        await RemoveReminderAsync();
    }

    private void DisarmTimer()
    {
        _timer?.Dispose();
        _timer = null;
        _stepStart = null;
    }

    private async Task RemoveReminderAsync()
    {
        if (await ResumeReminder.RemoveAsync(grain) is { } exception)
        {
            LogReminderNotRemoved(logger, exception, model);
        }
    }

    private async Task<RolloutSample> SampleAsync(RolloutInfo rollout)
    {
        var agents = await cluster.AgentsAsync();
        var silos = await Task.WhenAll(agents.Select(async agent =>
        {
            try
            {
                var statistics = await agent.GetStatisticsAsync(model).WaitAsync(SiloTimeout);
                return (Silo: agent.GetPrimaryKeyString(), Counters: (
                    SideCounters.From(statistics.FirstOrDefault(s => s.Version == rollout.BaselineVersion)),
                    SideCounters.From(statistics.FirstOrDefault(s => s.Version == rollout.Spec.Candidate))));
            }
            catch (Exception exception)
            {
                // A silo that is dying or leaving: its requests drop out of the step; the others still judge it.
                LogSiloSkipped(logger, model, agent.GetPrimaryKeyString(), exception.Message);
                return (Silo: (string?)null, Counters: (SideCounters.Zero, SideCounters.Zero));
            }
        }));
        return new RolloutSample(silos.Where(s => s.Silo is not null).ToDictionary(s => s.Silo!, s => s.Counters));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout of model {Model}: {Decision}, {Reason}")]
    private static partial void LogDecision(ILogger logger, string model, RolloutDecision decision, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout of model {Model} resumed by its reminder")]
    private static partial void LogResumed(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout of model {Model} left silo {Silo} out of a sample: {Reason}")]
    private static partial void LogSiloSkipped(ILogger logger, string model, string silo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rollout reminder of model {Model} was not removed; its next tick tries again")]
    private static partial void LogReminderNotRemoved(ILogger logger, Exception exception, string model);
}
