namespace OrleansML.Serving;

/// <summary>
/// Shadow traffic: <see cref="Percent"/> of the requests another version answers are sent to <see cref="Version"/>
/// as well, off the response path, and its outputs compared with the answered ones. <see cref="Since"/> tells one
/// shadow setting from the next, so each starts its comparison figures afresh.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ShadowSettings")]
public sealed record ShadowSettings(
    [property: Id(0)] int Version,
    [property: Id(1)] double Percent,
    [property: Id(2)] DateTimeOffset Since);
