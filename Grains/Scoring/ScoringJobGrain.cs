using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Datasets;
using OrleansML.Errors;
using OrleansML.Jobs;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;

namespace OrleansML.Scoring;

/// <summary>
/// Drives one scoring job from a grain timer. Each unit is sent to the worker of a live silo under
/// <see cref="ScoringOptions.PartitionTimeout"/>; the worker writes to a staging prefix of its own attempt, and only
/// the first successful attempt of a unit is moved to the unit's final keys and recorded in state, so the output
/// holds every input row exactly once however many attempts ran. A unit whose silo fails or times out goes back to
/// the queue for the other silos. Timers do not survive deactivation: a job whose coordinator's silo died resumes
/// from its committed units on the next call to it (a status poll).
/// </summary>
public sealed partial class ScoringJobGrain(
    [PersistentState(stateName: "scoring", storageName: StorageNames.Platform)] IPersistentState<ScoringJobState> state,
    IDatasetStore datasets,
    IOptions<ScoringOptions> options,
    ILocalSiloDetails silo,
    ILogger<ScoringJobGrain> logger) : Grain, IScoringJobGrain, IRemindable
{

    private readonly ScoringOptions _options = options.Value;
    private readonly List<Attempt> _inFlight = [];
    private readonly HashSet<string> _suspectSilos = [];
    private IGrainTimer? _timer;

    private string JobId => this.GetPrimaryKeyString();

    private ScoringJobSpec Spec => state.State.Spec!;

    private string OutputPrefix => $"datasets/{Spec.OutputDataset}/{JobId}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is not null && !state.State.IsFinished)
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<ScoringJobStatus> StartAsync(ScoringJobSpec spec)
    {
        if (state.State.Spec is not null)
        {
            throw PlatformException.Conflict($"scoring job '{JobId}' already exists.");
        }

        ResourceNames.Validate(spec.Model, "model");
        ResourceNames.Validate(spec.Dataset, "dataset");
        ResourceNames.Validate(spec.OutputDataset, "output dataset");
        spec = spec with { Output = ScoringOutput.Validate(spec.Output) };
        if (spec.Version is not null && spec.Label is not null)
        {
            throw PlatformException.Invalid("give a version or a label, not both.");
        }

        if (spec.Partitions is < 1)
        {
            throw PlatformException.Invalid($"partitions must be at least 1, got {spec.Partitions}.");
        }

        var input = await GrainFactory.GetGrain<IDatasetGrain>(spec.Dataset).GetAsync()
            ?? throw PlatformException.NotFound($"dataset '{spec.Dataset}' not found.");
        if (input.Rows > ScoringOutput.MaxRows)
        {
            throw PlatformException.Invalid($"dataset '{spec.Dataset}' has {input.Rows} rows; scoring takes at most {ScoringOutput.MaxRows} (row ids are stored as float32).");
        }

        var model = await GrainFactory.GetGrain<IModelGrain>(spec.Model).GetAsync()
            ?? throw PlatformException.NotFound($"model '{spec.Model}' not found.");
        var version = RouteSelector.Select(model, spec.Version, spec.Label);
        var signature = version.Signature.Inputs[0];
        if (!version.Signature.IsBatched || version.Signature.Inputs.Length != 1 || signature.RowSize != input.Columns.Length)
        {
            throw PlatformException.Invalid(
                $"model '{spec.Model}' version {version.Version} takes input of shape [{string.Join(", ", signature.Shape)}]; dataset '{spec.Dataset}' has rows of {input.Columns.Length} features.");
        }

        await GrainFactory.GetGrain<IDatasetGrain>(spec.OutputDataset).ReserveAsync(JobId);
        try
        {
            state.State = new ScoringJobState
            {
                Spec = spec,
                State = ScoringState.Pending,
                Input = input,
                Version = version.Version,
                Units = Split(input.PartitionCount, spec.Partitions ?? input.PartitionCount),
                CreatedAt = DateTimeOffset.UtcNow,
            };
            // Registered before the job is stored: a reminder left by a failed write finds no job and unregisters itself.
            await ResumeReminder.RegisterAsync(this, _options.ResumeReminderPeriod);
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new ScoringJobState();
            await GrainFactory.GetGrain<IDatasetGrain>(spec.OutputDataset).ReleaseAsync(JobId);
            throw;
        }

        LogStarted(logger, JobId, spec.Model, version.Version, spec.Dataset, state.State.Units.Count);
        await IndexAsync();
        ArmTimer();
        return Status();
    }

    public Task<ScoringJobStatus?> GetAsync()
    {
        if (state.State.Spec is null)
        {
            return Task.FromResult<ScoringJobStatus?>(null);
        }

        if (!state.State.IsFinished)
        {
            ArmTimer();
        }

        return Task.FromResult<ScoringJobStatus?>(Status());
    }

    /// <summary>
    /// The job's reminder: after its coordinator's silo died, a surviving silo activates the job here and its timer
    /// resumes dispatching the units not yet committed. A finished job removes the reminder.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is null || state.State.IsFinished)
        {
            await UnregisterResumeReminderAsync();
        }
        else if (_timer is null)
        {
            LogResumedByReminder(logger, JobId, state.State.Committed.Count, state.State.Units.Count);
            ArmTimer();
        }
    }

    private async Task UnregisterResumeReminderAsync()
    {
        if (await ResumeReminder.RemoveAsync(this) is { } exception)
        {
            LogReminderNotRemoved(logger, exception, JobId);
        }
    }

    /// <summary><paramref name="partitions"/> storage partitions in <paramref name="units"/> contiguous ranges of near-equal size.</summary>
    public static List<PartitionRange> Split(int partitions, int units)
    {
        units = Math.Min(units, partitions);
        return Enumerable.Range(0, units)
            .Select(u => new PartitionRange(u * partitions / units, (u + 1) * partitions / units - u * partitions / units))
            .ToList();
    }

    private void ArmTimer() =>
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = TimeSpan.FromMilliseconds(1),
            Interleave = false,
            KeepAlive = true,
        });

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (state.State.IsFinished)
            {
                StopTimer();
                return;
            }

            if (state.State.State == ScoringState.Pending)
            {
                state.State.State = ScoringState.Running;
                state.State.StartedAt = DateTimeOffset.UtcNow;
                await state.WriteStateAsync();
                await IndexAsync();
            }

            await DispatchAsync();
            if (_inFlight.Count == 0 && state.State.Committed.Count == state.State.Units.Count)
            {
                await FinishAsync();
                return;
            }

            // Wake for the first unit to finish, or soon anyway to hand free slots to silos that joined.
            await Task.WhenAny(_inFlight.Select(a => (Task)a.Call).Append(Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken)));
            foreach (var attempt in _inFlight.Where(a => a.Call.IsCompleted).ToList())
            {
                _inFlight.Remove(attempt);
                await CompleteAsync(attempt);
                if (state.State.IsFinished)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync(exception is PlatformException ? exception.Message : $"{exception.GetType().Name}: {ModelArtifacts.FirstLine(exception.Message)}", exception);
        }
    }

    private async Task DispatchAsync()
    {
        var busy = _inFlight.Select(a => a.Unit).ToHashSet();
        var pending = Enumerable.Range(0, state.State.Units.Count).Where(u => !state.State.Committed.Contains(u) && !busy.Contains(u)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var live = hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToList();
        var silos = live.Where(s => !_suspectSilos.Contains(s)).ToList() is { Count: > 0 } trusted ? trusted : live;
        var next = 0;
        for (var slot = 0; slot < _options.UnitsPerSilo && next < pending.Count; slot++)
        {
            foreach (var target in silos)
            {
                if (next == pending.Count)
                {
                    break;
                }

                if (_inFlight.Count(a => a.Silo == target) <= slot)
                {
                    Send(pending[next++], target);
                }
            }
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
        }).WaitAsync(_options.PartitionTimeout);
        _inFlight.Add(new Attempt(unit, target, staging, call));
    }

    private async Task CompleteAsync(Attempt attempt)
    {
        var range = state.State.Units[attempt.Unit];
        if (attempt.Call.IsCompletedSuccessfully && state.State.Committed.Contains(attempt.Unit))
        {
            // Another attempt of this unit was committed first: this one's rows must not appear twice.
            state.State.AbandonedStaging.Add(attempt.Staging);
            await state.WriteStateAsync();
            return;
        }

        if (attempt.Call.IsCompletedSuccessfully && !await StagedCompletelyAsync(attempt, range))
        {
            // The worker answered, but its staged output is not all there (its silo died while writing, or a
            // clean-up raced it): treat the attempt as failed so the unit runs again.
            await RetryAsync(attempt, range, "its staged output is incomplete");
            return;
        }

        if (attempt.Call.IsCompletedSuccessfully)
        {
            var result = attempt.Call.Result;
            for (var p = range.First; p < range.First + range.Count; p++)
            {
                await datasets.MoveAsync($"{attempt.Staging}/part-{p:D5}", PartitionKey(p));
            }

            state.State.Committed.Add(attempt.Unit);
            state.State.RowsScored += result.Rows;
            state.State.Outputs = result.Outputs;
            state.State.Classification = result.Classification;
            state.State.UnitsBySilo[attempt.Silo] = state.State.UnitsBySilo.GetValueOrDefault(attempt.Silo) + 1;
            await state.WriteStateAsync();
            return;
        }

        var exception = attempt.Call.Exception!.InnerException!;
        if (exception is PlatformException)
        {
            // The model refused the rows (its version was deleted or failed): no other silo would do better.
            throw exception;
        }

        _suspectSilos.Add(attempt.Silo);
        var what = exception is TimeoutException ? $"no answer within {_options.PartitionTimeout.TotalSeconds:0.###} s" : ModelArtifacts.FirstLine(exception.Message);
        await RetryAsync(attempt, range, what);
    }

    private async Task<bool> StagedCompletelyAsync(Attempt attempt, PartitionRange range)
    {
        for (var p = range.First; p < range.First + range.Count; p++)
        {
            if (!await datasets.ExistsAsync($"{attempt.Staging}/part-{p:D5}"))
            {
                return false;
            }
        }

        return true;
    }

    private async Task RetryAsync(Attempt attempt, PartitionRange range, string what)
    {
        var attempts = state.State.Attempts[attempt.Unit] = state.State.Attempts.GetValueOrDefault(attempt.Unit) + 1;
        var reason = $"unit {attempt.Unit} (partitions {range.First}-{range.First + range.Count - 1}) on {attempt.Silo}: {what}";
        state.State.Retries.Add(reason);
        state.State.AbandonedStaging.Add(attempt.Staging);
        LogRetrying(logger, JobId, reason);
        if (attempts >= _options.MaxAttempts)
        {
            throw new InvalidOperationException($"gave up after {attempts} attempts; last: {reason}");
        }

        await state.WriteStateAsync();
    }

    private async Task FinishAsync()
    {
        var input = state.State.Input!;
        var (columns, label) = ScoringOutput.Columns(state.State.Classification, state.State.Outputs);
        await GrainFactory.GetGrain<IDatasetGrain>(Spec.OutputDataset).RegisterReservedAsync(JobId, new DatasetInfo
        {
            Name = Spec.OutputDataset,
            Rows = input.Rows,
            Columns = columns,
            Label = label,
            LabelClasses = state.State.Classification ? Enumerable.Range(0, state.State.Outputs).Select(k => (double)k).ToArray() : null,
            PartitionSize = input.PartitionSize,
            PartitionCount = input.PartitionCount,
            StoragePrefix = OutputPrefix,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        state.State.State = ScoringState.Succeeded;
        state.State.FinishedAt = DateTimeOffset.UtcNow;
        await DeleteStagingAsync();
        await state.WriteStateAsync();
        await IndexAsync();
        StopTimer();
        await UnregisterResumeReminderAsync();
        LogSucceeded(logger, JobId, Spec.OutputDataset, state.State.RowsScored);
    }

    private async Task FailAsync(string reason, Exception exception)
    {
        state.State.State = ScoringState.Failed;
        state.State.FailureReason = reason;
        state.State.FinishedAt = DateTimeOffset.UtcNow;
        LogFailed(logger, exception, JobId, reason);
        state.State.AbandonedStaging.AddRange(_inFlight.Select(a => a.Staging));
        _inFlight.Clear();
        for (var p = 0; p < state.State.Input!.PartitionCount; p++)
        {
            await datasets.DeleteAsync(PartitionKey(p));
        }

        await DeleteStagingAsync();
        await GrainFactory.GetGrain<IDatasetGrain>(Spec.OutputDataset).ReleaseAsync(JobId);
        await state.WriteStateAsync();
        await IndexAsync();
        StopTimer();
        await UnregisterResumeReminderAsync();
    }

    /// <summary>Deletes what given-up attempts may have staged (an attempt still running elsewhere may write after this).</summary>
    private async Task DeleteStagingAsync()
    {
        foreach (var staging in state.State.AbandonedStaging)
        {
            for (var p = 0; p < state.State.Input!.PartitionCount; p++)
            {
                await datasets.DeleteAsync($"{staging}/part-{p:D5}");
            }
        }

        state.State.AbandonedStaging.Clear();
    }

    private Task IndexAsync() => GrainFactory.IndexJobAsync(JobKind.Scoring, JobRow.Of(Status()) with { StartedAt = state.State.StartedAt }, logger);

    private string PartitionKey(int index) => $"{OutputPrefix}/part-{index:D5}";

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

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

    private sealed record Attempt(int Unit, string Silo, string Staging, Task<UnitResult> Call);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring job {Job} started: model {Model} version {Version} on dataset {Dataset} in {Units} units")]
    private static partial void LogStarted(ILogger logger, string job, string model, int version, string dataset, int units);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring job {Job}: {Reason}; retrying the unit on another silo")]
    private static partial void LogRetrying(ILogger logger, string job, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring job {Job} succeeded: {Rows} rows in dataset {Output}")]
    private static partial void LogSucceeded(ILogger logger, string job, string output, long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring job {Job} resumed by its reminder with {Committed} of {Units} units committed")]
    private static partial void LogResumedByReminder(ILogger logger, string job, int committed, int units);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring job {Job}: its resume reminder could not be removed")]
    private static partial void LogReminderNotRemoved(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scoring job {Job} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, string reason);
}
