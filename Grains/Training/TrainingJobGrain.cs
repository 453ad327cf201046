using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using OrleansML.Datasets;
using OrleansML.Errors;
using OrleansML.Jobs;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Training;

/// <summary>
/// Holds one training job's state and drives its <see cref="JobMachine"/> (Pending → Preparing → Running ⇄
/// Recovering → Publishing → Succeeded, Failed or Cancelled) from the timer of its <see cref="JobDriver"/>: each
/// tick runs rounds for a bounded time, so calls that do not interleave get in between, and ends by storing the last
/// checkpoint written. The parts: the <see cref="WorkerGroup"/> on the silos <see cref="SiloProbe"/> finds, the
/// <see cref="RoundLedger"/>, the <see cref="CheckpointLedger"/> and the <see cref="ResultPublisher"/>. Every call
/// to the workers is bounded by the worker timeout; a failed one re-forms the group from live silos and resumes
/// from the last stored checkpoint. A running job holds a resume reminder: when it fires on a job whose activation
/// was lost with its silo, a surviving silo activates the coordinator, which resumes from its checkpoint.
/// </summary>
public sealed partial class TrainingJobGrain(
    [PersistentState(stateName: "job", storageName: StorageNames.Platform)] IPersistentState<TrainingJobState> state,
    IArtifactStore artifacts,
    IDatasetStore datasets,
    IOptions<TrainingOptions> options,
    TrainingMetrics metrics,
    ILocalSiloDetails silo,
    ILogger<TrainingJobGrain> logger) : Grain, ITrainingJobGrain, IRemindable
{
    private readonly TrainingOptions _options = options.Value;
    private readonly RecoveryBackoff _backoff = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    private JobDriver? _driver;
    private RoundLedger? _rounds;
    private CheckpointLedger? _checkpoints;
    private TaskCompletionSource? _tick;

    private string JobId => this.GetPrimaryKeyString();

    private TrainingJobSpec Spec => state.State.Spec!;

    private JobDriver Driver => _driver ??= new JobDriver(this, JobKind.Training, JobId, TickAsync, logger);

    private JobMachine Machine => Driver.Machine;

    /// <summary>Over the stored job, which is read at activation and replaced when a job starts: made on first use.</summary>
    private RoundLedger Rounds => _rounds ??= NewRoundLedger();

    private CheckpointLedger Checkpoints => _checkpoints ??= new CheckpointLedger(state.State, JobId);

    private ITrainingAdmissionGrain Admissions => GrainFactory.GetGrain<ITrainingAdmissionGrain>(0);

    private TimeSpan ProbeTimeout => _options.WorkerTimeout < TimeSpan.FromSeconds(2) ? _options.WorkerTimeout : TimeSpan.FromSeconds(2);

    private SiloProbe Silos => new(GrainFactory, ProbeTimeout);

    private string InitialWeightsKey => $"training/{JobId}/initial";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is not null)
        {
            if (state.State.Prepared && !state.State.IsFinished())
            {
                state.State.Recoveries.Add($"the coordinator was activated again on {silo.SiloAddress.ToParsableString()}; resuming from round {state.State.CheckpointRound}");
            }

            if (!state.State.IsFinished())
            {
                Rounds.Restore();
            }

            Driver.Resume(PhaseOf(state.State));
        }

        return Task.CompletedTask;
    }

    public async Task<TrainingJobStatus> StartAsync(TrainingJobSpec spec)
    {
        if (state.State.Spec is not null)
        {
            throw PlatformException.Conflict($"training job '{JobId}' already exists.");
        }

        TrainingJobValidator.ValidateSpec(spec);
        var dataset = await GrainFactory.GetGrain<IDatasetGrain>(spec.Dataset).GetAsync()
            ?? throw PlatformException.Invalid($"dataset '{spec.Dataset}' does not exist; upload it with POST /api/datasets/{spec.Dataset} first.");
        var job = TrainingJobSource.NewJob(spec, dataset, await GrainFactory.GetGrain<IModelGrain>(spec.Model).GetAsync(), DateTimeOffset.UtcNow);
        var workers = spec.Workers ?? WorkerPlacement.Assign(await Silos.LiveAsync(), null).Length;
        TrainingJobValidator.ValidateAgainst(spec, dataset, job.Signature!, workers);

        // Admitted last, when nothing else can refuse the job, so a refused start leaves nothing behind.
        var admission = await Admissions.AdmitAsync(JobId);
        if (!admission.Admitted)
        {
            throw PlatformException.LimitReached(
                $"at most {admission.Limit} training job{(admission.Limit == 1 ? "" : "s")} may run at once; {admission.Running} "
                + $"{(admission.Running == 1 ? "is" : "are")} running. Start it again when one finishes or is cancelled.");
        }

        await Driver.StartAsync(state, job, _options.ResumeReminderPeriod, ReleaseAdmissionAsync, IndexAsync);
        LogStarted(logger, JobId, spec.Model, spec.Dataset);
        return Status();
    }

    public Task<TrainingJobStatus?> GetAsync() => Task.FromResult(Driver.Peek(state.State.Spec is not null, Status));

    public async Task<TrainingJobStatus> CancelAsync()
    {
        if (state.State.Spec is null)
        {
            throw PlatformException.NotFound($"training job '{JobId}' not found.");
        }

        if (state.State.IsFinished())
        {
            throw PlatformException.Conflict($"training job '{JobId}' has already finished ({state.State.State}).");
        }

        if (Machine.Phase != JobPhase.SteppedAside)
        {
            Move(JobOutcome.CancelRequested);
        }

        if (_tick is { } tick)
        {
            // The tick in progress sees the state after its round, stops the workers and persists the outcome.
            await tick.Task;
        }
        else
        {
            await UnlessSupersededAsync(EndAsync);
        }

        if (Machine.Phase == JobPhase.SteppedAside)
        {
            // The cancel was not stored: the activation that owns the job goes on running it.
            throw PlatformException.Conflict($"training job '{JobId}' was resumed by another activation while it was being cancelled; cancel it again.");
        }

        return Status();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        Driver.OnReminderAsync(state.State.Spec is not null, $"from the checkpoint after round {state.State.CheckpointRound}");

    private static JobPhase PhaseOf(TrainingJobState job) => job.State switch
    {
        TrainingState.Pending => JobPhase.Pending,
        TrainingState.Running => JobPhase.Running,
        TrainingState.Succeeded => JobPhase.Succeeded,
        TrainingState.Cancelled => JobPhase.Cancelled,
        _ => JobPhase.Failed,
    };

    /// <summary>Moves the machine on and writes the stored state it stands for (the only writer of the job's state and end time).</summary>
    private void Move(JobOutcome outcome)
    {
        var phase = Machine.Apply(outcome);
        state.State.State = phase switch
        {
            JobPhase.Pending or JobPhase.Preparing => TrainingState.Pending,
            JobPhase.Recovering when !state.State.Prepared => TrainingState.Pending,
            JobPhase.Succeeded => TrainingState.Succeeded,
            JobPhase.Failed => TrainingState.Failed,
            JobPhase.Cancelled => TrainingState.Cancelled,
            _ => TrainingState.Running,
        };
        if (Machine.IsFinished)
        {
            state.State.FinishedAt = DateTimeOffset.UtcNow;
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            if (Machine.IsFinished)
            {
                await EndAsync();
                return;
            }

            if (Machine.Phase == JobPhase.Recovering && _backoff.IsOver(Stopwatch.GetTimestamp()))
            {
                // A job interrupted before it was ready prepares again; one that ran forms a new group.
                Move(state.State.Prepared ? JobOutcome.Resumed : JobOutcome.Began);
            }

            if (Machine.Phase == JobPhase.Pending)
            {
                Move(JobOutcome.Began);
            }

            if (Machine.Phase == JobPhase.Preparing)
            {
                await PrepareAsync();
            }

            var running = Machine.Phase == JobPhase.Running && (_group is not null || await FormGroupAsync());
            var until = Stopwatch.GetTimestamp() + (long)(_options.TickBudget.TotalSeconds * Stopwatch.Frequency);
            while (running && Stopwatch.GetTimestamp() < until && await RunRoundsAsync(until) && Machine.Phase == JobPhase.Running)
            {
                if (Rounds.IsDone)
                {
                    Move(JobOutcome.WorkDone);
                    await PublishAsync();
                    return;
                }
            }

            if (Machine.Phase == JobPhase.Running && _group is not null)
            {
                await StoreCheckpointAsync();
            }

            if (Machine.IsFinished)
            {
                await EndAsync();
            }
        }
        catch (InconsistentStateException exception)
        {
            StepAside(exception);
        }
        catch (Exception exception) when (IsTransient(exception) && state.State.Recoveries.Count < _options.MaxRecoveries && Machine.Accepts(JobOutcome.Interrupted))
        {
            // A grain this job called (dataset, model, a worker) lived on a silo that just died, and membership has
            // not caught up yet: resume from the checkpoint after a back-off instead of failing the job.
            await UnlessSupersededAsync(() => RecoverAsync($"a call failed while the cluster changed ({exception.GetType().Name}: {ModelArtifacts.FirstLine(exception.Message)})"));
        }
        catch (Exception exception) when (Machine.Accepts(JobOutcome.Faulted))
        {
            Move(JobOutcome.Faulted);
            state.State.FailureReason = JobDriver.FailureReason(exception);
            LogFailed(logger, exception, JobId, state.State.FailureReason);
            await UnlessSupersededAsync(EndAsync);
        }
        finally
        {
            _tick.TrySetResult();
            _tick = null;
        }
    }

    private async Task UnlessSupersededAsync(Func<Task> action)
    {
        if (!await Driver.UnlessSupersededAsync(action))
        {
            StopWorkers().Ignore();
        }
    }

    /// <summary>Another activation owns the job (<see cref="JobDriver.StepAside"/>): this one also stops its own workers.</summary>
    private void StepAside(InconsistentStateException exception)
    {
        Driver.StepAside(exception);
        StopWorkers().Ignore();
    }

    private static bool IsTransient(Exception exception) =>
        exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException;

    private Task IndexAsync() => GrainFactory.IndexJobAsync(JobKind.Training, JobRow.Of(Status()), logger);

}

internal static class TrainingJobStateExtensions
{
    public static bool IsFinished(this TrainingJobState state) =>
        state.State is TrainingState.Succeeded or TrainingState.Failed or TrainingState.Cancelled;
}
