using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansML.Errors;
using OrleansML.Torch;

namespace OrleansML.Jobs;

/// <summary>
/// The skeleton the training and scoring coordinators share, around a <see cref="JobMachine"/>: the grain timer
/// that drives the job (one tick at a time, not interleaved with calls, keeping the grain alive), the resume
/// reminder that brings a job back on a surviving silo when its coordinator's silo dies, the start that stores a
/// new job or rolls back what it reserved, and the stale activation's step aside.
/// </summary>
public sealed partial class JobDriver(IGrainBase grain, JobKind kind, string jobId, Func<CancellationToken, Task> tick, ILogger logger)
{
    private IGrainTimer? _timer;

    public JobMachine Machine { get; private set; } = new(JobPhase.Pending);

    /// <summary>Takes the job's phase as stored (on activation, or once a new job is stored) and arms the timer if it runs.</summary>
    public void Resume(JobPhase phase)
    {
        Machine = new JobMachine(phase);
        Arm();
    }

    /// <summary>Arms the timer unless it is armed or the job is no longer this activation's to drive.</summary>
    public void Arm()
    {
        if (Machine.IsActive)
        {
            _timer ??= grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.Zero,
                Period = TimeSpan.FromMilliseconds(1),
                Interleave = false,
                KeepAlive = true,
            });
        }
    }

    public void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>
    /// Stores <paramref name="job"/> as a new job and starts driving it. The resume reminder is registered before the
    /// write (a reminder left by a failed write finds no job and removes itself); if either fails, the state is
    /// emptied again and <paramref name="rollBack"/> gives back what the start reserved before the error goes to the
    /// caller, so a refused start leaves nothing behind. Then the job is indexed and its timer armed.
    /// </summary>
    public async Task StartAsync<TState>(IPersistentState<TState> state, TState job, TimeSpan reminderPeriod, Func<Task> rollBack, Func<Task> index)
        where TState : new()
    {
        try
        {
            await ResumeReminder.RegisterAsync(grain, reminderPeriod);
            state.State = job;
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            state.State = new TState();
            await rollBack();
            throw;
        }

        await index();
        Resume(JobPhase.Pending);
    }

    /// <summary>The job's status (null when there is none); a poll also re-arms the timer of a job this activation still drives.</summary>
    public T? Peek<T>(bool exists, Func<T> status)
        where T : class
    {
        if (!exists)
        {
            return null;
        }

        Arm();
        return status();
    }

    /// <summary>
    /// Ends a finished job: stops the timer, runs <paramref name="store"/> (which stores the outcome), then removes
    /// the reminder. The outcome is stored before anything is cleaned up: an activation whose write is refused
    /// because another one owns the job must not delete what that one works from.
    /// </summary>
    public async Task EndAsync(Func<Task> store, Func<Task>? cleanUp = null)
    {
        StopTimer();
        await store();
        if (cleanUp is not null)
        {
            await cleanUp();
        }

        await RemoveReminderAsync();
    }

    /// <summary>
    /// The resume reminder fired: a job that is gone or finished removes it; a running job whose activation lost its
    /// timer (a fresh activation on a surviving silo) is driven again.
    /// </summary>
    public async Task OnReminderAsync(bool exists, string progress)
    {
        if (!exists || Machine.IsFinished)
        {
            await RemoveReminderAsync();
        }
        else if (Machine.IsActive && _timer is null)
        {
            LogResumedByReminder(logger, kind, jobId, progress);
            Arm();
        }
    }

    /// <summary>Removes the resume reminder; a failure is logged (the reminder's next tick finds the job finished and tries again).</summary>
    public async Task RemoveReminderAsync()
    {
        if (await ResumeReminder.RemoveAsync(grain) is { } exception)
        {
            LogReminderNotRemoved(logger, exception, kind, jobId);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/>; if a write of the job's state in it is refused because another activation
    /// stored the job since this one read it, steps aside and returns false.
    /// </summary>
    public async Task<bool> UnlessSupersededAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (InconsistentStateException exception)
        {
            StepAside(exception);
            return false;
        }
    }

    /// <summary>
    /// Another activation of this job stored its state since this one read it: while a silo dies, the grain directory
    /// can lose the entry and a call activates the job a second time. The stored state belongs to the other one, so
    /// this one stops its timer and deactivates without ending the job (the caller stops its own workers): ending it
    /// would delete what the other activation works from. The next call finds the stored job.
    /// </summary>
    public void StepAside(InconsistentStateException exception)
    {
        LogSuperseded(logger, exception, kind, jobId, grain.GrainContext.Address.SiloAddress?.ToParsableString());
        Machine.Apply(JobOutcome.Superseded);
        StopTimer();
        grain.DeactivateOnIdle();
    }

    /// <summary>What a job's failure reason says of <paramref name="exception"/>: a platform error's own message, else its type and first line.</summary>
    public static string FailureReason(Exception exception) =>
        exception is PlatformException ? exception.Message : $"{exception.GetType().Name}: {ModelArtifacts.FirstLine(exception.Message)}";

    /// <summary>The silos membership counts as active, in a stable order.</summary>
    public static async Task<List<string>> LiveSilosAsync(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {Job} resumed by its reminder ({Progress})")]
    private static partial void LogResumedByReminder(ILogger logger, JobKind kind, string job, string progress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {Job}: its resume reminder could not be removed")]
    private static partial void LogReminderNotRemoved(ILogger logger, Exception exception, JobKind kind, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {Job}: another activation stored its state since this one on {Silo} read it; this one steps aside")]
    private static partial void LogSuperseded(ILogger logger, Exception exception, JobKind kind, string job, string? silo);
}
