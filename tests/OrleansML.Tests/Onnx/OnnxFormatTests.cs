using OrleansML.Onnx;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;

namespace OrleansML.Tests.Onnx;

/// <summary>Telling an ONNX file from TorchScript and native weights by its bytes.</summary>
public sealed class OnnxFormatTests
{
    [Theory]
    [MemberData(nameof(OnnxFixtures.All), MemberType = typeof(OnnxFixtures))]
    public void Every_backend_fixture_is_detected_as_onnx(string name)
    {
        var bytes = File.ReadAllBytes(OnnxFixtures.Model(name));

        Assert.Null(OnnxFormat.Problem(bytes));
        Assert.Equal(ModelFormat.Onnx, ModelArtifacts.DetectFormat(bytes));
    }

    [Fact]
    public void Native_weights_of_eight_tensors_whose_count_byte_is_the_ir_version_tag_stay_native()
    {
        // Four Linear layers: a LEB128 count of 8 is 0x08, the byte an ONNX file starts with.
        using var module = ArchitectureBuilder.Build(new ArchitectureSpec("mlp", 4, [8, 8, 8], 3));
        var bytes = ModelArtifacts.SaveNative(module);

        Assert.Equal(0x08, bytes[0]);
        Assert.Equal(ModelFormat.Native, ModelArtifacts.DetectFormat(bytes));
    }

    [Fact]
    public void TorchScript_stays_torchscript_and_a_broken_onnx_file_is_detected_as_onnx_so_its_problem_is_named()
    {
        Assert.Equal(ModelFormat.TorchScript, ModelArtifacts.DetectFormat(File.ReadAllBytes(Fixtures.Scripted)));
        var truncated = OnnxModels.GemmRelu()[..^20];

        Assert.Equal(ModelFormat.Onnx, ModelArtifacts.DetectFormat(truncated));
        Assert.Contains("truncated", OnnxFormat.Problem(truncated));
    }
}
