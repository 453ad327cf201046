using OrleansML.Jobs;

namespace OrleansML.Tests.Jobs;

public sealed class JobIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static JobRow Row(string id, JobState state, string model = "m", int minute = 0) =>
        new() { Id = id, State = state, Model = model, CreatedAt = T0.AddMinutes(minute) };

    [Fact]
    public void A_job_keeps_its_creation_time_and_is_stamped_started_when_first_seen_running()
    {
        var index = new JobIndex([]);
        index.Record(Row("a", JobState.Pending), T0);
        Assert.Null(index.Rows["a"].StartedAt);

        index.Record(Row("a", JobState.Running) with { CreatedAt = T0.AddHours(1) }, T0.AddSeconds(5));
        index.Record(Row("a", JobState.Succeeded) with { Progress = 1, FinishedAt = T0.AddSeconds(9) }, T0.AddSeconds(9));

        var row = index.Rows["a"];
        Assert.Equal((JobState.Succeeded, T0, T0.AddSeconds(5), 1.0), (row.State, row.CreatedAt, row.StartedAt!.Value, row.Progress));
    }

    [Fact]
    public void A_late_write_from_an_older_activation_does_not_reopen_a_finished_job()
    {
        var index = new JobIndex([]);
        index.Record(Row("a", JobState.Failed), T0);

        Assert.False(index.Record(Row("a", JobState.Running), T0.AddSeconds(1)));
        Assert.False(index.Record(Row("a", JobState.Succeeded), T0.AddSeconds(1)));
        Assert.Equal(JobState.Failed, index.Rows["a"].State);
    }

    [Fact]
    public void A_pending_record_that_arrives_after_running_does_not_move_the_job_back()
    {
        var index = new JobIndex([]);
        index.Record(Row("a", JobState.Running), T0.AddSeconds(1));

        Assert.False(index.Record(Row("a", JobState.Pending), T0.AddSeconds(2)));
        Assert.Equal((JobState.Running, T0.AddSeconds(1)), (index.Rows["a"].State, index.Rows["a"].StartedAt!.Value));
    }

    [Fact]
    public void Queries_filter_by_state_and_model_newest_first_and_page()
    {
        var index = new JobIndex([]);
        for (var i = 0; i < 7; i++)
        {
            index.Record(Row($"j{i}", i % 2 == 0 ? JobState.Succeeded : JobState.Running, i < 5 ? "m" : "other", minute: i), T0);
        }

        var succeeded = index.Query(new JobQuery { State = JobState.Succeeded, Model = "m", PageSize = 2 });
        Assert.Equal(["j4", "j2"], succeeded.Rows.Select(r => r.Id));
        Assert.Equal(3, succeeded.Total);
        Assert.Equal(["j0"], index.Query(new JobQuery { State = JobState.Succeeded, Model = "m", Page = 2, PageSize = 2 }).Rows.Select(r => r.Id));
        Assert.Empty(index.Query(new JobQuery { Page = int.MaxValue, PageSize = 100 }).Rows);
    }

    [Fact]
    public void Past_the_row_limit_the_oldest_finished_jobs_are_forgotten_and_unfinished_ones_kept()
    {
        var rows = new Dictionary<string, JobRow> { ["oldest-running"] = Row("oldest-running", JobState.Running, minute: -1) with { StartedAt = T0 } };
        for (var i = 0; i < JobIndex.MaxRows - 1; i++)
        {
            rows[$"f{i}"] = Row($"f{i}", JobState.Succeeded, minute: i);
        }

        var index = new JobIndex(rows);
        index.Record(Row("new", JobState.Pending, minute: JobIndex.MaxRows), T0);

        Assert.Equal(JobIndex.MaxRows, index.Rows.Count);
        Assert.True(index.Rows.ContainsKey("oldest-running"));
        Assert.False(index.Rows.ContainsKey("f0"));
        Assert.True(index.Rows.ContainsKey("new"));
    }
}
