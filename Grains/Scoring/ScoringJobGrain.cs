using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Datasets;
using OrleansML.Datasets.Import;
using OrleansML.Errors;
using OrleansML.Jobs;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Scoring;

/// <summary>
/// Holds one scoring job's state and drives its <see cref="JobMachine"/> (Pending → Running → Publishing →
/// Succeeded or Failed) from the timer of its <see cref="JobDriver"/>. Each unit is sent to the worker of a live
/// silo under <see cref="ScoringOptions.PartitionTimeout"/>; the worker writes to a staging prefix of its own
/// attempt, and only the first successful attempt of a unit is moved to the unit's final keys and recorded in state
/// (<see cref="UnitLedger"/>, <see cref="OutputCommitter"/>), so the output holds every input row exactly once
/// however many attempts ran. A running job holds a resume reminder: after its coordinator's silo dies, a surviving
/// silo activates it and it resumes from its committed units with no outside call.
/// </summary>
public sealed partial class ScoringJobGrain(
    [PersistentState(stateName: "scoring", storageName: StorageNames.Platform)] IPersistentState<ScoringJobState> state,
    IDatasetStore datasets,
    DatasetSources sources,
    IOptions<ScoringOptions> options,
    ILocalSiloDetails silo,
    ILogger<ScoringJobGrain> logger) : Grain, IScoringJobGrain, IRemindable
{
    private readonly ScoringOptions _options = options.Value;
    private JobDriver? _driver;
    private UnitLedger? _ledger;

    private string JobId => this.GetPrimaryKeyString();

    private ScoringJobSpec Spec => state.State.Spec!;

    private JobDriver Driver => _driver ??= new JobDriver(this, JobKind.Scoring, JobId, TickAsync, logger);

    /// <summary>Over the stored state, which is read at activation and replaced when a job starts: made on first use.</summary>
    private UnitLedger Ledger => _ledger ??= new UnitLedger(state.State, _options.MaxAttempts, _options.PartitionTimeout);

    private OutputCommitter Output => new(datasets, state.State, $"datasets/{Spec.OutputDataset}/{JobId}",
        Spec.OutputFormat == ScoringOutputFormat.Parquet ? sources.Store(Spec.OutputUrl) : null);

    private IDatasetGrain OutputDataset => GrainFactory.GetGrain<IDatasetGrain>(Spec.OutputDataset);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is not null)
        {
            Driver.Resume(PhaseOf(state.State.State));
        }

        return Task.CompletedTask;
    }

    public async Task<ScoringJobStatus> StartAsync(ScoringJobSpec spec)
    {
        if (state.State.Spec is not null)
        {
            throw PlatformException.Conflict($"scoring job '{JobId}' already exists.");
        }

        spec = ScoringJobValidator.ValidateSpec(spec);
        if (spec.OutputFormat == ScoringOutputFormat.Parquet)
        {
            // Refuses a URL that is not a folder or prefix, or a folder outside the allowed roots, before anything is reserved.
            sources.Store(spec.OutputUrl);
        }

        var input = await GrainFactory.GetGrain<IDatasetGrain>(spec.Dataset).GetAsync()
            ?? throw PlatformException.NotFound($"dataset '{spec.Dataset}' not found.");
        ScoringJobValidator.ValidateInput(spec, input);
        var model = await GrainFactory.GetGrain<IModelGrain>(spec.Model).GetAsync()
            ?? throw PlatformException.NotFound($"model '{spec.Model}' not found.");
        var version = ScoringJobValidator.SelectVersion(spec, model, input);

        var output = GrainFactory.GetGrain<IDatasetGrain>(spec.OutputDataset);
        await output.ReserveAsync(JobId);
        var job = new ScoringJobState
        {
            Spec = spec,
            State = ScoringState.Pending,
            Input = input,
            Version = version.Version,
            Units = UnitLedger.Split(input.PartitionCount, spec.Partitions ?? input.PartitionCount),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await Driver.StartAsync(state, job, _options.ResumeReminderPeriod, () => output.ReleaseAsync(JobId), IndexAsync);
        LogStarted(logger, JobId, spec.Model, version.Version, spec.Dataset, state.State.Units.Count);
        return Status();
    }

    public Task<ScoringJobStatus?> GetAsync() => Task.FromResult(Driver.Peek(state.State.Spec is not null, Status));

    /// <summary>
    /// The job's reminder: after its coordinator's silo died, a surviving silo activates the job here and its timer
    /// resumes dispatching the units not yet committed. A finished job removes the reminder.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        Driver.OnReminderAsync(state.State.Spec is not null, $"{state.State.Committed.Count} of {state.State.Units.Count} units committed");

    private static JobPhase PhaseOf(ScoringState stored) => stored switch
    {
        ScoringState.Pending => JobPhase.Pending,
        ScoringState.Running => JobPhase.Running,
        ScoringState.Succeeded => JobPhase.Succeeded,
        _ => JobPhase.Failed,
    };

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var machine = Driver.Machine;
        try
        {
            if (machine.Phase == JobPhase.Pending)
            {
                await BeginAsync();
            }

            if (machine.Phase == JobPhase.Running)
            {
                await RunAsync(cancellationToken);
            }

            if (machine.Phase == JobPhase.Publishing)
            {
                await PublishAsync();
            }

            if (!machine.IsActive)
            {
                Driver.StopTimer();
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && machine.IsActive)
        {
            await FailAsync(JobDriver.FailureReason(exception), exception);
        }
    }

    private async Task BeginAsync()
    {
        Driver.Machine.Apply(JobOutcome.Began);
        state.State.State = ScoringState.Running;
        state.State.StartedAt = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        await IndexAsync();
        Driver.Machine.Apply(JobOutcome.Prepared);
    }

    /// <summary>Sends what can be sent, then waits for the first unit to end (or soon anyway, to use silos that joined) and settles the ended ones.</summary>
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var (unit, target) in Ledger.Assign(await JobDriver.LiveSilosAsync(GrainFactory), _options.UnitsPerSilo))
        {
            Send(unit, target);
        }

        if (Ledger.IsDone)
        {
            Driver.Machine.Apply(JobOutcome.WorkDone);
            return;
        }

        await Task.WhenAny(Ledger.InFlight.Select(a => (Task)a.Call).Append(Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken)));
        foreach (var attempt in Ledger.Ended())
        {
            await SettleAsync(attempt);
        }
    }

    private void Send(int unit, string target)
    {
        var range = state.State.Units[unit];
        var staging = $"scoring/{JobId}/{Guid.NewGuid():N}";
        var worker = GrainFactory.GetGrain<IScoringWorkerGrain>($"{target}/{JobId}");
        var call = worker.ScoreAsync(new ScoringUnit
        {
            Model = Spec.Model,
            Version = state.State.Version,
            Input = state.State.Input!,
            FirstPartition = range.First,
            PartitionCount = range.Count,
            StagingPrefix = staging,
            Output = Spec.Output,
            ChunkRows = _options.ChunkRows,
            ParquetOutputUrl = Spec.OutputFormat == ScoringOutputFormat.Parquet ? Spec.OutputUrl : null,
            Unit = unit,
        }).WaitAsync(_options.PartitionTimeout);
        Ledger.Sent(new UnitAttempt(unit, target, staging, call));
    }

    private async Task SettleAsync(UnitAttempt attempt)
    {
        var range = state.State.Units[attempt.Unit];
        switch (Ledger.Judge(attempt))
        {
            case UnitVerdict.Duplicate:
                Ledger.Abandon(attempt);
                await state.WriteStateAsync();
                break;
            case UnitVerdict.Answered when !await Output.StagedCompletelyAsync(attempt.Staging, range, attempt.Unit):
                // The worker answered, but its staged output is not all there (its silo died while writing, or a
                // clean-up raced it): the unit runs again.
                await RetryAsync(attempt, "its staged output is incomplete");
                break;
            case UnitVerdict.Answered:
                await Output.CommitAsync(attempt.Staging, range, attempt.Unit);
                Ledger.Commit(attempt);
                await state.WriteStateAsync();
                break;
            case UnitVerdict.Refused:
                throw attempt.Call.Exception!.InnerException!;
            default:
                await RetryAsync(attempt, Ledger.Suspect(attempt));
                break;
        }
    }

    private async Task RetryAsync(UnitAttempt attempt, string what)
    {
        var (reason, gaveUp) = Ledger.Retry(attempt, what);
        LogRetrying(logger, JobId, reason);
        if (gaveUp)
        {
            throw new InvalidOperationException($"gave up after {state.State.Attempts[attempt.Unit]} attempts; last: {reason}");
        }

        await state.WriteStateAsync();
    }

    private async Task PublishAsync()
    {
        await OutputDataset.RegisterReservedAsync(JobId, Output.Output(Spec.OutputDataset));
        await Output.MarkSucceededAsync();
        Driver.Machine.Apply(JobOutcome.Published);
        state.State.State = ScoringState.Succeeded;
        state.State.FinishedAt = DateTimeOffset.UtcNow;
        await Output.DeleteAbandonedAsync();
        await EndAsync();
        LogSucceeded(logger, JobId, Spec.OutputDataset, state.State.RowsScored);
    }

    private async Task FailAsync(string reason, Exception exception)
    {
        Driver.Machine.Apply(JobOutcome.Faulted);
        state.State.State = ScoringState.Failed;
        state.State.FailureReason = reason;
        state.State.FinishedAt = DateTimeOffset.UtcNow;
        LogFailed(logger, exception, JobId, reason);
        Ledger.AbandonInFlight();
        await Output.DeleteOutputAsync();
        await Output.DeleteAbandonedAsync();
        await OutputDataset.ReleaseAsync(JobId);
        await EndAsync();
    }

    private Task EndAsync() => Driver.EndAsync(async () =>
    {
        await state.WriteStateAsync();
        await IndexAsync();
    });

    private Task IndexAsync() => GrainFactory.IndexJobAsync(JobKind.Scoring, JobRow.Of(Status()) with { StartedAt = state.State.StartedAt }, logger);

    private ScoringJobStatus Status()
    {
        var job = state.State;
        var elapsed = job.StartedAt is { } started ? ((job.FinishedAt ?? DateTimeOffset.UtcNow) - started).TotalSeconds : 0;
        return new ScoringJobStatus
        {
            Id = JobId,
            State = job.State,
            Spec = Spec,
            ModelVersion = job.Version,
            PartitionsDone = job.Committed.Count,
            PartitionsTotal = job.Units.Count,
            RowsScored = job.RowsScored,
            RowsTotal = job.Input?.Rows ?? 0,
            RowsPerSecond = elapsed > 0 ? job.RowsScored / elapsed : 0,
            FailureReason = job.FailureReason,
            OutputDataset = Spec.OutputDataset,
            Retries = [.. job.Retries],
            PartitionsBySilo = new Dictionary<string, int>(job.UnitsBySilo),
            CreatedAt = job.CreatedAt,
            FinishedAt = job.FinishedAt,
            CoordinatorSilo = silo.SiloAddress.ToParsableString(),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring job {Job} started: model {Model} version {Version} on dataset {Dataset} in {Units} units")]
    private static partial void LogStarted(ILogger logger, string job, string model, int version, string dataset, int units);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring job {Job}: {Reason}; retrying the unit on another silo")]
    private static partial void LogRetrying(ILogger logger, string job, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring job {Job} succeeded: {Rows} rows in dataset {Output}")]
    private static partial void LogSucceeded(ILogger logger, string job, string output, long rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scoring job {Job} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, string reason);
}
