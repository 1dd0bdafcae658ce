using System;
using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>Seeded random inputs: only ManifestException escapes, and every string survives a write and a read.</summary>
public sealed class YamlRobustnessTests
{
    private const string Alphabet = "ab01 :-?,[]{}#&*!|>'\"%@`~.+_\t\n\\xyYnN<=e";

    private static string RandomText(Random random, int maxLength)
    {
        var length = random.Next(maxLength + 1);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    [Fact]
    public void Malformed_yaml_only_ever_raises_ManifestException()
    {
        var random = new Random(20240601);
        for (var i = 0; i < 5000; i++)
        {
            var yaml = RandomText(random, 40);
            try
            {
                Manifests.ParseYaml(yaml);
            }
            catch (ManifestException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"input {System.Text.Json.JsonSerializer.Serialize(yaml)} raised {e.GetType().FullName}: {e.Message}");
            }
        }
    }

    [Fact]
    public void Any_string_reads_back_unchanged_as_value_and_as_key()
    {
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var text = RandomText(random, 12);
            var yaml = Manifests.ToYaml(new JsonObject { ["v"] = text, [text] = 1 });
            var back = (JsonObject)Manifests.ParseYaml(yaml)[0];
            Assert.True(back["v"]?.GetValue<string>() == text, $"value {System.Text.Json.JsonSerializer.Serialize(text)} came back from:\n{yaml}");
            Assert.True(back.ContainsKey(text), $"key {System.Text.Json.JsonSerializer.Serialize(text)} came back from:\n{yaml}");
        }
    }
}
