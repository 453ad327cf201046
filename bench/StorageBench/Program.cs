using OrleansML.Bench;

// Storage benchmark steps, driven by bench/storage.sh (which starts redis-server, moto and Azurite and runs the
// cp/curl/redis-cli baselines beside these). Each step prints one JSON line per measurement on stdout. Settings after
// the step's own arguments are the platform's own configuration keys (--OrleansML:Storage:Artifacts:Kind S3 ...).
//   transfer <file> <key> [settings]   write the file through the configured IArtifactStore and read it back (it stays)
//   delete <key> [settings]            delete it from the store
//   azure-sas <connection string> <container> <blob>   create the container, print a read/write SAS URL of the blob
//   create <api dll> <data dir> <model> [settings]      create a ~503 MB native MLP through one Api process, stop it
//   cold-start <api dll> <data dir> <model> [settings]  time a fresh Api process from its start to its first prediction
return args switch
{
    ["transfer", var file, var key, .. var settings] => await StoreTransfer.RunAsync(file, key, settings),
    ["delete", var key, .. var settings] => await StoreTransfer.DeleteAsync(key, settings),
    ["azure-sas", var connectionString, var container, var blob] => await AzuriteSas.RunAsync(connectionString, container, blob),
    ["create", var dll, var data, var model, .. var settings] => await ColdStart.CreateAsync(dll, data, model, settings),
    ["cold-start", var dll, var data, var model, .. var settings] => await ColdStart.RunAsync(dll, data, model, settings),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: transfer <file> <key> [settings] | delete <key> [settings] | azure-sas <connection string> <container> <blob> | create|cold-start <api dll> <data dir> <model> [settings]");
    return 2;
}
