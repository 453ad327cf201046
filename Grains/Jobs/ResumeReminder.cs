namespace OrleansML.Jobs;

/// <summary>
/// The reminder a job coordinator holds while its job runs, so that a surviving silo resumes the job after the
/// coordinator's silo dies, with no outside call. Shared by the training and scoring coordinators and by a model
/// grain while its rollout runs.
/// </summary>
public static class ResumeReminder
{
    public const string Name = "resume";

    /// <summary>Registered before the job is stored: a reminder left by a failed write finds no job and removes itself.</summary>
    public static Task RegisterAsync(IGrainBase grain, TimeSpan period) => grain.RegisterOrUpdateReminder(Name, period, period);

    /// <summary>Removes the reminder; returns why it could not be (harmless: its next tick finds the job finished and tries again).</summary>
    public static async Task<Exception?> RemoveAsync(IGrainBase grain)
    {
        try
        {
            if (await grain.GetReminder(Name) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }

            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
