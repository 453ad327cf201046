using OrleansML.Datasets;
using OrleansML.Jobs;
using OrleansML.Serving;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Training;

/// <summary>The work of the coordinator's Preparing and Publishing phases, and the end of a finished job.</summary>
public sealed partial class TrainingJobGrain
{
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

            state.State.WeightsKey = InitialWeightsKey;
            await artifacts.WriteAsync(state.State.WeightsKey, new MemoryStream(weights));
        }

        if (Spec.Standardize && state.State.Standardization is null)
        {
            state.State.Standardization = await StandardizationStatistics.ComputeAsync(new DatasetReader(state.State.Dataset!, datasets), Rounds.Plan.TrainingRows);
        }

        state.State.Prepared = true;
        Move(JobOutcome.Prepared);
        await state.WriteStateAsync();
        await IndexAsync();
    }

    private RoundLedger NewRoundLedger()
    {
        var plan = new TrainingPlan(state.State.Dataset!.Rows, Spec.ValidationSplit, Spec.BatchSize, Spec.Seed);
        var total = Math.Min(Spec.MaxRounds ?? long.MaxValue, (long)Spec.Epochs * plan.RoundsPerEpoch);
        return new RoundLedger(state.State, plan, total, _options.CheckpointEveryRounds);
    }

    /// <summary>
    /// Adds the trained weights as a version of the model (or finds the one this job added before its coordinator's
    /// silo died), labels it if asked, and ends the job; if exporting the weights fails, the group is re-formed.
    /// </summary>
    private async Task PublishAsync()
    {
        var model = GrainFactory.GetGrain<IModelGrain>(Spec.Model);
        var publisher = new ResultPublisher(model, JobId);
        var version = await publisher.AddedAsync();
        if (version is null)
        {
            var staging = $"staging/{Guid.NewGuid():N}";
            if (!await CallAsync(_group!, [_group!.Leader.ExportAsync(staging)], "exporting the trained weights"))
            {
                return;
            }

            version = await publisher.AddAsync(staging, state.State, Rounds.Loss, Rounds.Round);
        }

        state.State.ResultVersion = version;
        if (Spec.Promote is { } label)
        {
            await model.SetLabelAsync(label, version.Value);
        }

        Move(JobOutcome.Published);
        LogSucceeded(logger, JobId, Spec.Model, version.Value);
        await EndAsync();
    }

    /// <summary>
    /// Stops the workers and the timer, persists the outcome, then removes the job's scratch artifacts, gives back its
    /// place and removes its reminder (<see cref="JobDriver.EndAsync"/>).
    /// </summary>
    private async Task EndAsync()
    {
        await StopWorkers();
        await Driver.EndAsync(
            async () =>
            {
                await state.WriteStateAsync();
                await IndexAsync();
            },
            async () =>
            {
                foreach (var key in Checkpoints.AllKeys())
                {
                    await artifacts.DeleteAsync(key);
                }

                if (state.State.WeightsKey == InitialWeightsKey)
                {
                    await artifacts.DeleteAsync(state.State.WeightsKey);
                }

                await ReleaseAdmissionAsync();
            });
    }

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
}
