using System.Globalization;
using System.Text;

namespace Stamen.Sweeps.Executors;

/// <summary>Where a Kubernetes job finds Stamen and the files: an image with the `stamen` command and a volume shared by the pods.</summary>
/// <param name="Image">Container image holding the `stamen` command (and the .NET runtime it needs).</param>
/// <param name="VolumeClaim">PersistentVolumeClaim (ReadWriteMany) holding the sweep file, its scenarios and the store.</param>
/// <param name="MountPath">Where the claim is mounted; the sweep file and store paths are inside it.</param>
public sealed record KubernetesSettings(string Image, string VolumeClaim, string MountPath);

/// <summary>
/// A Kubernetes Indexed Job for clusters without Slurm: pod K (JOB_COMPLETION_INDEX) runs shard K of N, each pod restarted
/// on failure up to a limit; `kubectl apply -f` submits it, and applying it again after it ends redoes what is missing.
/// </summary>
public static class KubernetesExecutor
{
    public static string Manifest(string sweepName, JobSettings settings, KubernetesSettings k8s)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(k8s);
        var name = JobName(sweepName);
        var n = settings.Shards.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Written by `stamen sweep submit --executor k8s --dry-run`: {n} indexed pods, pod K runs shard K/{n}.\n");
        text.Append("# Submit: kubectl apply -f this-file; watch: kubectl get pods -l job-name=" + name + "\n");
        text.Append("apiVersion: batch/v1\nkind: Job\nmetadata:\n");
        text.Append(CultureInfo.InvariantCulture, $"  name: {name}\n");
        text.Append("spec:\n  completionMode: Indexed\n");
        text.Append(CultureInfo.InvariantCulture, $"  completions: {n}\n");
        text.Append(CultureInfo.InvariantCulture, $"  parallelism: {(settings.MaxRunning ?? settings.Shards).ToString(CultureInfo.InvariantCulture)}\n");
        text.Append("  backoffLimitPerIndex: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: stamen\n");
        text.Append(CultureInfo.InvariantCulture, $"          image: {Json(k8s.Image)}\n");
        text.Append(CultureInfo.InvariantCulture, $"          workingDir: {Json(settings.WorkingDirectory)}\n");
        text.Append(CultureInfo.InvariantCulture, $"          command: [\"sh\", \"-c\", {Json("exec " + settings.TaskCommand("${JOB_COMPLETION_INDEX}"))}]\n");
        text.Append("          resources:\n            requests:\n");
        text.Append(CultureInfo.InvariantCulture, $"              cpu: \"{settings.CpusPerTask.ToString(CultureInfo.InvariantCulture)}\"\n");
        if (settings.Memory is { } mem)
        {
            var quantity = mem.EndsWith('K') || mem.EndsWith('M') || mem.EndsWith('G') || mem.EndsWith('T') ? mem + "i" : mem + "Mi";
            text.Append(CultureInfo.InvariantCulture, $"              memory: \"{quantity}\"\n            limits:\n              memory: \"{quantity}\"\n");
        }
        text.Append("          volumeMounts:\n            - name: work\n");
        text.Append(CultureInfo.InvariantCulture, $"              mountPath: {Json(k8s.MountPath)}\n");
        text.Append("      volumes:\n        - name: work\n          persistentVolumeClaim:\n");
        text.Append(CultureInfo.InvariantCulture, $"            claimName: {Json(k8s.VolumeClaim)}\n");
        return text.ToString();
    }

    /// <summary>A DNS-1123 name: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit.</summary>
    public static string JobName(string sweepName)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var clean = new string([.. sweepName.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-')]);
        var name = ("stamen-sweep-" + clean)[..Math.Min(63, 13 + clean.Length)].TrimEnd('-');
        return name;
    }

    /// <summary>A JSON string, which is also a YAML flow scalar.</summary>
    private static string Json(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, Relaxed)) writer.WriteStringValue(value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Shell quotes and '+' stay readable; the default encoder would write them as \u0027 and \u002B.
    private static readonly System.Text.Json.JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
