namespace OrleansML.History;

/// <summary>
/// Who asked for a change to a model: the credential's name, <c>anonymous</c> when the API runs without
/// authentication, or the platform itself (<see cref="Rollout"/>, <see cref="Repository"/>). Carried in Orleans' <see cref="RequestContext"/>,
/// so it flows from the Api into every grain call it makes without a parameter on each method.
/// </summary>
public static class ChangeActor
{
    public const string Key = "orleansml.actor";

    public const string Anonymous = "anonymous";

    /// <summary>Changes a rollout makes by itself (advancing a step, rolling back, promoting).</summary>
    public const string Rollout = "rollout";

    /// <summary>Changes the watched model repository makes (new versions, labels from config.json, retired versions).</summary>
    public const string Repository = "repository";

    /// <summary>Changes with no caller behind them (a silo reporting a load failure, startup).</summary>
    public const string System = "system";

    public static string Current => RequestContext.Get(Key) as string ?? System;

    public static void Set(string actor) => RequestContext.Set(Key, actor);
}
