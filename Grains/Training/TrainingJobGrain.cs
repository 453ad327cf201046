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
/// Drives one job from a grain timer: each tick runs rounds for a bounded time, so calls that do not interleave get
/// in between, and ends by storing the last checkpoint written (<c>TrainingJobGrain.Rounds.cs</c>). Every call to
/// the workers is bounded by the worker timeout; a failed one re-forms the group from live silos and resumes from
/// the last stored checkpoint. Timers do not survive the coordinator's silo, so a running job also holds a
/// reminder: when it fires on a job whose activation was lost, a surviving silo activates the coordinator, which
/// resumes from its checkpoint (<see cref="OnActivateAsync"/>) without anyone calling it. A status poll does the same.
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
    private const int MaxDurations = 4096;

    private readonly TrainingOptions _options = options.Value;
    private readonly List<double> _durations = [];
    private long _retryAfter;
    private int _consecutiveRecoveries;
    private IGrainTimer? _timer;
    private WorkerGroup? _group;
    private WorkerInfo[] _workers = [];
    private TrainingPlan? _plan;
    private long _round;
    private double _epochLoss;
    private double? _loss;
    private long _bytesPerWorker;
    private long _gradientBytes;
    private TaskCompletionSource? _tick;
    private bool _superseded;

    private string JobId => this.GetPrimaryKeyString();

    private ITrainingAdmissionGrain Admissions => GrainFactory.GetGrain<ITrainingAdmissionGrain>(0);

    private TrainingJobSpec Spec => state.State.Spec!;

    private long TotalRounds => Math.Min(Spec.MaxRounds ?? long.MaxValue, (long)Spec.Epochs * Plan.RoundsPerEpoch);

    private TrainingPlan Plan => _plan ??= new TrainingPlan(state.State.Dataset!.Rows, Spec.ValidationSplit, Spec.BatchSize, Spec.Seed);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is not null && state.State.State is TrainingState.Pending or TrainingState.Running)
        {
            if (state.State.Prepared)
            {
                state.State.Recoveries.Add($"the coordinator was activated again on {silo.SiloAddress.ToParsableString()}; resuming from round {state.State.CheckpointRound}");
            }

            RestoreFromCheckpoint();
            ArmTimer();
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
        var model = await GrainFactory.GetGrain<IModelGrain>(spec.Model).GetAsync();
        var job = new TrainingJobState { Spec = spec, Dataset = dataset, State = TrainingState.Pending, CreatedAt = DateTimeOffset.UtcNow };
        if (model is null)
        {
            if (spec.BaseVersion is not null)
            {
                throw PlatformException.Invalid($"model '{spec.Model}' does not exist, so it has no version {spec.BaseVersion} to fine-tune.");
            }

            var architecture = spec.Architecture
                ?? throw PlatformException.Invalid($"model '{spec.Model}' does not exist and the job gives no architecture to create it from.");
            TrainingJobValidator.ValidateArchitecture(architecture);
            (job.Format, job.Architecture, job.Signature) = (ModelFormat.Native, architecture, ArchitectureBuilder.SignatureOf(architecture));
        }
        else
        {
            var version = (spec.BaseVersion is { } wanted
                    ? model.Versions.FirstOrDefault(v => v.Version == wanted)
                    : model.Versions.Where(v => v.State == VersionState.Available).MaxBy(v => v.Version))
                ?? throw PlatformException.Invalid(spec.BaseVersion is null
                    ? $"model '{spec.Model}' has no available version to train from."
                    : $"model '{spec.Model}' has no version {spec.BaseVersion}.");
            if (version.State != VersionState.Available)
            {
                throw PlatformException.Invalid($"version {version.Version} of model '{spec.Model}' is {version.State}, not Available.");
            }

            if (version.Format == ModelFormat.Onnx)
            {
                throw PlatformException.Invalid($"version {version.Version} of model '{spec.Model}' is ONNX: ONNX versions are served and scored, not trained.");
            }

            if (version.Format == ModelFormat.Native && version.Architecture is null)
            {
                throw PlatformException.Invalid($"version {version.Version} of model '{spec.Model}' has no architecture to train.");
            }

            (job.Format, job.Architecture, job.Signature) = (version.Format, version.Architecture, version.Signature);
            (job.WeightsKey, job.BaseVersion, job.Standardization) = (version.ArtifactKey, version.Version, version.Preprocessing);
        }

        var workers = spec.Workers ?? WorkerPlacement.Assign(await ProbeSilosAsync(), null).Length;
        TrainingJobValidator.ValidateAgainst(spec, dataset, job.Signature, workers);

        // Admitted last, when nothing else can refuse the job, so a refused start leaves nothing behind.
        var admission = await Admissions.AdmitAsync(JobId);
        if (!admission.Admitted)
        {
            throw PlatformException.LimitReached(
                $"at most {admission.Limit} training job{(admission.Limit == 1 ? "" : "s")} may run at once; {admission.Running} "
                + $"{(admission.Running == 1 ? "is" : "are")} running. Start it again when one finishes or is cancelled.");
        }

        try
        {
            // Registered before the job is stored: a reminder left by a failed write finds no job and unregisters itself.
            await ResumeReminder.RegisterAsync(this, _options.ResumeReminderPeriod);
            state.State = job;
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            state.State = new TrainingJobState();
            await ReleaseAdmissionAsync();
            throw;
        }

        LogStarted(logger, JobId, spec.Model, spec.Dataset);
        await IndexAsync();
        ArmTimer();
        return Status();
    }

    public Task<TrainingJobStatus?> GetAsync()
    {
        if (state.State.Spec is null)
        {
            return Task.FromResult<TrainingJobStatus?>(null);
        }

        if (!state.State.IsFinished() && _timer is null && !_superseded)
        {
            ArmTimer();
        }

        return Task.FromResult<TrainingJobStatus?>(Status());
    }

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

        state.State.State = TrainingState.Cancelled;
        state.State.FinishedAt = DateTimeOffset.UtcNow;
        if (_tick is { } tick)
        {
            // The tick in progress sees the state after its round, stops the workers and persists the outcome.
            await tick.Task;
        }
        else
        {
            try
            {
                await EndAsync();
            }
            catch (InconsistentStateException exception)
            {
                StepAside(exception);
            }
        }

        if (_superseded)
        {
            // The cancel was not stored: the activation that owns the job goes on running it.
            throw PlatformException.Conflict($"training job '{JobId}' was resumed by another activation while it was being cancelled; cancel it again.");
        }

        return Status();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is null || state.State.IsFinished())
        {
            await UnregisterResumeReminderAsync();
        }
        else if (_timer is null && !_superseded)
        {
            LogResumedByReminder(logger, JobId, state.State.CheckpointRound);
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
        _tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            if (state.State.IsFinished())
            {
                await EndAsync();
                return;
            }

            if (!state.State.Prepared)
            {
                await PrepareAsync();
            }

            var running = state.State.State == TrainingState.Running
                && (_group is not null || (Stopwatch.GetTimestamp() >= _retryAfter && await FormGroupAsync()));
            var until = Stopwatch.GetTimestamp() + (long)(_options.TickBudget.TotalSeconds * Stopwatch.Frequency);
            while (running && Stopwatch.GetTimestamp() < until)
            {
                if (!await RunRoundsAsync(until) || state.State.State != TrainingState.Running)
                {
                    break;
                }

                if (_round >= TotalRounds)
                {
                    await FinishAsync();
                    return;
                }
            }

            if (!state.State.IsFinished() && _group is not null)
            {
                await StoreCheckpointAsync();
            }

            if (state.State.IsFinished())
            {
                await EndAsync();
            }
        }
        catch (InconsistentStateException exception)
        {
            StepAside(exception);
        }
        catch (Exception exception) when (IsTransient(exception) && state.State.Recoveries.Count < _options.MaxRecoveries)
        {
            // A grain this job called (dataset, model, a worker) lived on a silo that just died, and membership has
            // not caught up yet: resume from the checkpoint after a back-off instead of failing the job.
            await StepAsideOnConflictAsync(() => RecoverAsync($"a call failed while the cluster changed ({exception.GetType().Name}: {ModelArtifacts.FirstLine(exception.Message)})"));
        }
        catch (Exception exception)
        {
            state.State.State = TrainingState.Failed;
            state.State.FailureReason = exception is PlatformException ? exception.Message : $"{exception.GetType().Name}: {ModelArtifacts.FirstLine(exception.Message)}";
            state.State.FinishedAt = DateTimeOffset.UtcNow;
            LogFailed(logger, exception, JobId, state.State.FailureReason);
            await StepAsideOnConflictAsync(EndAsync);
        }
        finally
        {
            _tick.TrySetResult();
            _tick = null;
        }
    }

    private async Task StepAsideOnConflictAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (InconsistentStateException exception)
        {
            StepAside(exception);
        }
    }

    /// <summary>
    /// Another activation of this job stored its state since this one read it: while a silo dies, the grain directory
    /// can lose the entry and a call activates the job a second time. The stored state belongs to the other one, so
    /// this one stops its timer and its own workers and deactivates without ending the job: ending it would delete the
    /// initial weights and checkpoints the other activation trains from. The next call finds the stored job.
    /// </summary>
    private void StepAside(InconsistentStateException exception)
    {
        LogSuperseded(logger, exception, JobId, silo.SiloAddress.ToParsableString());
        _superseded = true;
        _timer?.Dispose();
        _timer = null;
        StopWorkers().Ignore();
        DeactivateOnIdle();
    }

    private static bool IsTransient(Exception exception) =>
        exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException;

    private async Task PrepareAsync()
    {
        if (state.State.WeightsKey.Length == 0)
        {
            byte[] weights;
            lock (TorchGenerator.Lock)
            {
                torch.manual_seed(Spec.Seed);
                using var module = ArchitectureBuilder.Build(state.State.Architecture!);
                weights = ModelArtifacts.SaveNative(module);
            }

            state.State.WeightsKey = $"training/{JobId}/initial";
            await artifacts.WriteAsync(state.State.WeightsKey, new MemoryStream(weights));
        }

        if (Spec.Standardize && state.State.Standardization is null)
        {
            state.State.Standardization = await StandardizationStatistics.ComputeAsync(new DatasetReader(state.State.Dataset!, datasets), Plan.TrainingRows);
        }

        state.State.Prepared = true;
        if (state.State.State == TrainingState.Pending)
        {
            state.State.State = TrainingState.Running;
        }

        await state.WriteStateAsync();
        await IndexAsync();
    }

    private TimeSpan ProbeTimeout => _options.WorkerTimeout < TimeSpan.FromSeconds(2) ? _options.WorkerTimeout : TimeSpan.FromSeconds(2);

    /// <summary>
    /// The silos to place workers on, with their device counts. Membership takes several probe periods to declare a
    /// killed silo dead, and a worker on a live silo can fail only because a dead peer did: every candidate's agent
    /// is asked directly and those that answer are kept (all active silos, one device each, if none answers).
    /// </summary>
    private async Task<List<SiloDevices>> ProbeSilosAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var live = hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToList();
        var answered = await Task.WhenAll(live.Select(ProbeAsync));
        var responsive = answered.OfType<SiloDevices>().ToList();
        return responsive.Count > 0 ? responsive : live.Select(s => new SiloDevices(s, 1)).ToList();
    }

    /// <summary>Asks a silo's agent for its devices within the probe timeout; null when it does not answer.</summary>
    private async Task<SiloDevices?> ProbeAsync(string silo)
    {
        try
        {
            var info = await GrainFactory.GetGrain<Cluster.ISiloAgentGrain>(silo).GetSiloAsync().WaitAsync(ProbeTimeout);
            return new SiloDevices(silo, info.Devices);
        }
        catch (Exception)
        {
            return null;
        }
    }

    private async Task<bool> AnswersAsync(string silo) => await ProbeAsync(silo) is not null;

    private static string SiloOf(string workerKey) => workerKey.Split('/')[0];

    private async Task<bool> FormGroupAsync()
    {
        var slots = WorkerPlacement.Assign(await ProbeSilosAsync(), Spec.Workers);
        state.State.Generation++;
        await state.WriteStateAsync();
        var keys = slots.Select((slot, rank) => $"{slot.Silo}/{JobId}/{state.State.Generation}-{rank}").ToArray();
        var group = new WorkerGroup(keys, keys.Select(k => GrainFactory.GetGrain<ITrainingWorkerGrain>(k)).ToArray());
        var setups = keys.Select((_, rank) => new WorkerSetup
        {
            JobId = JobId,
            Rank = rank,
            Peers = keys,
            WeightsKey = state.State.WeightsKey,
            Format = state.State.Format,
            Architecture = state.State.Architecture,
            CheckpointKey = StoredCheckpointKey,
            Dataset = state.State.Dataset!,
            Standardization = state.State.Standardization,
            Optimizer = Spec.Optimizer,
            LearningRate = Spec.LearningRate,
            AllReduce = Spec.AllReduce,
            ChunkFloats = _options.ChunkFloats,
            PeerTimeout = _options.WorkerTimeout * 0.6,
            BatchSize = Spec.BatchSize,
            ValidationSplit = Spec.ValidationSplit,
            Seed = Spec.Seed,
            Device = slots[rank].Device,
        }).ToArray();

        var calls = group.Grains.Select((w, rank) => w.InitializeAsync(setups[rank])).ToArray();
        if (!await WaitAllAsync(calls, group, "initializing workers"))
        {
            return false;
        }

        _group = group;
        _workers = keys.Select((k, rank) => new WorkerInfo(rank, k, slots[rank].Silo, slots[rank].Device)).ToArray();
        return true;
    }

    /// <summary>
    /// Waits for every call at most the worker timeout (beyond the time the work is <paramref name="expected"/> to
    /// take); on failure re-forms the group and returns false.
    /// </summary>
    private async Task<bool> WaitAllAsync(Task[] calls, WorkerGroup group, string what, TimeSpan expected = default)
    {
        try
        {
            await Task.WhenAll(calls).WaitAsync(_options.WorkerTimeout + expected);
            return true;
        }
        catch (Exception exception)
        {
            var suspects = Enumerable.Range(0, calls.Length)
                .Where(k => !calls[k].IsCompleted || (calls[k].IsFaulted && calls[k].Exception!.InnerException is not TimeoutException))
                .Select(k => SiloOf(group.Keys[Math.Min(k, group.Size - 1)]))
                .Distinct()
                .ToList();
            if (suspects.Count == 0)
            {
                // Every call ended in a timeout (a worker giving up on a peer, or a call to a silo that died): ask the
                // group's silos which one is gone, so the reason names it.
                var silos = group.Keys.Select(SiloOf).Distinct().ToList();
                var answers = await Task.WhenAll(silos.Select(AnswersAsync));
                suspects = silos.Where((_, k) => !answers[k]).ToList();
            }

            var reason = suspects.Count > 0
                ? $"{what} failed: no answer or an error from {string.Join(", ", suspects)} ({ModelArtifacts.FirstLine(exception.Message)})"
                : $"{what} failed: {ModelArtifacts.FirstLine(exception.Message)}";
            await RecoverAsync(reason);
            return false;
        }
    }

    private async Task RecoverAsync(string reason)
    {
        // What the failed group was writing is not the job's checkpoint; EndAsync deletes it with the rest.
        _ = StopWorkers();
        _asked = null;
        // Back off between consecutive recoveries (250 ms doubling to 5 s): a dead silo's grains keep failing calls
        // until membership declares it dead, and retrying at once would spend the recovery budget in a second.
        var backoff = TimeSpan.FromMilliseconds(Math.Min(5000, 250 * Math.Pow(2, _consecutiveRecoveries++)));
        _retryAfter = Stopwatch.GetTimestamp() + (long)(backoff.TotalSeconds * Stopwatch.Frequency);
        state.State.Recoveries.Add($"{reason}; resuming from round {state.State.CheckpointRound}");
        LogRecovering(logger, JobId, reason, state.State.CheckpointRound);
        if (state.State.Recoveries.Count > _options.MaxRecoveries)
        {
            throw new InvalidOperationException($"gave up after {_options.MaxRecoveries} recoveries; last: {reason}");
        }

        RestoreFromCheckpoint();
        await state.WriteStateAsync();
    }

    private void RestoreFromCheckpoint()
    {
        _round = state.State.CheckpointRound;
        _epochLoss = state.State.CheckpointEpochLoss;
        _epochMs = 0;
        var epochs = state.State.Dataset is null ? 0 : (int)(_round / Plan.RoundsPerEpoch);
        if (state.State.History.Count > epochs)
        {
            state.State.History.RemoveRange(epochs, state.State.History.Count - epochs);
        }
    }

    private async Task FinishAsync()
    {
        var model = GrainFactory.GetGrain<IModelGrain>(Spec.Model);
        var version = await AddResultVersionAsync(model);
        if (version is null)
        {
            return;
        }

        state.State.ResultVersion = version;
        if (Spec.Promote is { } label)
        {
            await model.SetLabelAsync(label, version.Value);
        }

        state.State.State = TrainingState.Succeeded;
        state.State.FinishedAt = DateTimeOffset.UtcNow;
        LogSucceeded(logger, JobId, Spec.Model, version.Value);
        await EndAsync();
    }

    /// <summary>
    /// Adds the trained weights as a version of the model and returns its number, or null when exporting them failed
    /// (the group is being re-formed). A coordinator whose silo died after adding the version and before storing the
    /// outcome resumes and ends here again: the version it added is the job's result, and no second one is added.
    /// </summary>
    private async Task<int?> AddResultVersionAsync(IModelGrain model)
    {
        var source = $"training:{JobId}";
        if ((await model.GetAsync())?.Versions.FirstOrDefault(v => v.Source == source) is { } added)
        {
            return added.Version;
        }

        var staging = $"staging/{Guid.NewGuid():N}";
        if (!await WaitAllAsync([_group!.Grains[0].ExportAsync(staging)], _group, "exporting the trained weights"))
        {
            return null;
        }

        var last = state.State.History.LastOrDefault();
        var trainingMetrics = new Dictionary<string, double> { ["loss"] = last?.Loss ?? _loss ?? double.NaN, ["rounds"] = _round };
        if (last?.ValidationAccuracy is { } accuracy)
        {
            trainingMetrics["validation_accuracy"] = accuracy;
        }

        if (last?.ValidationLoss is { } validationLoss)
        {
            trainingMetrics["validation_loss"] = validationLoss;
        }

        var version = await model.AddVersionAsync(new NewModelVersion
        {
            StagingKey = staging,
            Format = state.State.Format,
            Signature = state.State.Signature,
            Architecture = state.State.Architecture,
            Preprocessing = state.State.Standardization,
            Source = source,
            Metrics = trainingMetrics,
        });
        return version.Version;
    }

    /// <summary>
    /// Stops the workers and the timer, persists the outcome, then removes the job's scratch artifacts, gives back its
    /// place and removes its reminder. The outcome is stored first: an activation whose write is refused because another one
    /// owns the job (<see cref="StepAside"/>) must not delete what that one trains from.
    /// </summary>
    private async Task EndAsync()
    {
        var stopped = StopWorkers();
        _timer?.Dispose();
        _timer = null;
        await stopped;
        await state.WriteStateAsync();
        await IndexAsync();
        await DeleteCheckpointsAsync();
        if (state.State.WeightsKey == $"training/{JobId}/initial")
        {
            await artifacts.DeleteAsync(state.State.WeightsKey);
        }

        await ReleaseAdmissionAsync();
        await UnregisterResumeReminderAsync();
    }

    private Task IndexAsync() => GrainFactory.IndexJobAsync(JobKind.Training, JobRow.Of(Status()), logger);

    private async Task ReleaseAdmissionAsync()
    {
        try
        {
            await Admissions.ReleaseAsync(JobId);
        }
        catch (Exception exception)
        {
            // The job is stored as finished: the admission grain drops its place when the limit is next reached.
            LogReleaseFailed(logger, exception, JobId);
        }
    }

    /// <summary>
    /// Stops the workers without waiting for them (a dead worker must not hold up the job; a live one deactivates
    /// when idle), except that the task returned completes when rank 0, which writes the checkpoints, has stopped
    /// (at most the probe timeout; it never throws).
    /// </summary>
    private Task StopWorkers()
    {
        var stops = (_group?.Grains ?? []).Select(w => w.StopAsync()).ToArray();
        _group = null;
        foreach (var stop in stops.Skip(1))
        {
            stop.Ignore();
        }

        return stops.Length == 0 ? Task.CompletedTask : QuietlyAsync(stops[0]);

        async Task QuietlyAsync(Task stop)
        {
            try
            {
                await stop.WaitAsync(ProbeTimeout);
            }
            catch (Exception)
            {
                // A worker that cannot answer is not writing anything that would outlive the job.
            }
        }
    }

    private void RecordDuration(double milliseconds)
    {
        if (_durations.Count == MaxDurations)
        {
            _durations.RemoveAt(0);
        }

        _durations.Add(milliseconds);
    }

    private TrainingJobStatus Status() => new()
    {
        Id = JobId,
        State = state.State.State,
        Spec = Spec,
        Epoch = state.State.Prepared ? (int)Math.Min(Spec.Epochs, _round / Plan.RoundsPerEpoch + (state.State.IsFinished() ? 0 : 1)) : 0,
        Round = _round,
        TotalRounds = state.State.Prepared ? TotalRounds : 0,
        Loss = _loss,
        History = [.. state.State.History],
        Workers = _workers,
        ResultVersion = state.State.ResultVersion,
        FailureReason = state.State.FailureReason,
        Recoveries = [.. state.State.Recoveries],
        RoundDurationsMs = [.. _durations],
        AllReduceBytesPerWorker = _bytesPerWorker,
        GradientBytes = _gradientBytes,
        CreatedAt = state.State.CreatedAt,
        FinishedAt = state.State.FinishedAt,
        WorkerTimeoutMs = _options.WorkerTimeout.TotalMilliseconds,
        LastCheckpointRound = state.State.CheckpointRound,
        CoordinatorSilo = silo.SiloAddress.ToParsableString(),
    };

    private sealed record WorkerGroup(string[] Keys, ITrainingWorkerGrain[] Grains)
    {
        public int Size => Keys.Length;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} started: model {Model} on dataset {Dataset}")]
    private static partial void LogStarted(ILogger logger, string job, string model, string dataset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job}: {Reason}; re-forming the worker group from round {Round}")]
    private static partial void LogRecovering(ILogger logger, string job, string reason, long round);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} succeeded: model {Model} version {Version}")]
    private static partial void LogSucceeded(ILogger logger, string job, string model, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job} resumed by its reminder from the checkpoint after round {Round}")]
    private static partial void LogResumedByReminder(ILogger logger, string job, long round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job}: could not remove its resume reminder")]
    private static partial void LogReminderNotRemoved(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job}: its admission could not be given back; the admission grain drops it when the limit is next reached")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job}: another activation stored its state since this one on {Silo} read it; this one steps aside")]
    private static partial void LogSuperseded(ILogger logger, Exception exception, string job, string silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training job {Job} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, string? reason);
}

internal static class TrainingJobStateExtensions
{
    public static bool IsFinished(this TrainingJobState state) =>
        state.State is TrainingState.Succeeded or TrainingState.Failed or TrainingState.Cancelled;
}
