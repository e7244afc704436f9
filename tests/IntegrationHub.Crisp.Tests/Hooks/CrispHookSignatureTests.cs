using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp.Hooks;

namespace IntegrationHub.Crisp.Tests.Hooks;

public sealed class CrispHookSignatureTests
{
    private const string Secret = "test-hook-secret";
    private const string Timestamp = "1700000000456";

    private const string Body =
        """{"website_id":"8c842203-7ed8-4e29-a608-7cf78a7d2fcc","event":"message:send","data":{"content":"Hello"},"timestamp":1700000000123}""";

    // Computed once outside .NET (Python hmac/hashlib) over "[1700000000456;" + Body + "]" with key "test-hook-secret".
    private const string ExpectedHex = "9cc776c8538a268c72fd7c56f75b3ba0380144941efb389f96e934a0df67a560";

    private static byte[] BodyBytes => Encoding.UTF8.GetBytes(Body);

    [Fact]
    public void Compute_FixedVector_MatchesLiteralHex()
    {
        Assert.Equal(ExpectedHex, CrispHookSignature.Compute(Secret, Timestamp, BodyBytes));
    }

    [Fact]
    public void Compute_MinimalVector_MatchesLiteralHex()
    {
        // HMAC-SHA256(key "key", "[1;]"), also computed outside .NET.
        Assert.Equal("922458e531d89318862453c818e1134fb8174fcca15c588be8d0803849986e6a", CrispHookSignature.Compute("key", "1", []));
    }

    [Fact]
    public void Compute_MatchesIndependentHmacOverConcatenatedString()
    {
        var independent = Convert.ToHexString(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("[" + Timestamp + ";" + Body + "]"))).ToLowerInvariant();

        Assert.Equal(independent, CrispHookSignature.Compute(Secret, Timestamp, BodyBytes));
        Assert.Equal(ExpectedHex, independent);
    }

    [Fact]
    public void Verify_RawBodyAndRightSignature_True()
    {
        Assert.True(CrispHookSignature.Verify(Secret, Timestamp, BodyBytes, ExpectedHex));
    }

    [Fact]
    public void Verify_UppercaseSignature_True()
    {
        Assert.True(CrispHookSignature.Verify(Secret, Timestamp, BodyBytes, ExpectedHex.ToUpperInvariant()));
    }

    [Fact]
    public void Verify_OneByteOfBodyChanged_False()
    {
        var tampered = BodyBytes;
        var index = Array.IndexOf(tampered, (byte)'H');
        tampered[index] = (byte)'J';

        Assert.False(CrispHookSignature.Verify(Secret, Timestamp, tampered, ExpectedHex));
    }

    [Fact]
    public void Verify_OtherTimestamp_False()
    {
        Assert.False(CrispHookSignature.Verify(Secret, "1700000000457", BodyBytes, ExpectedHex));
    }

    [Fact]
    public void Verify_ReserialisedBody_FalseWhereRawBodyPasses()
    {
        // Same JSON value, different bytes: other whitespace and key order.
        var parsed = JsonNode.Parse(Body)!.AsObject();
        var reordered = new JsonObject();
        foreach (var name in parsed.Select(p => p.Key).Reverse().ToList())
        {
            reordered[name] = parsed[name]!.DeepClone();
        }

        var reserialised = Encoding.UTF8.GetBytes(reordered.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(reserialised), JsonNode.Parse(Body)));

        Assert.True(CrispHookSignature.Verify(Secret, Timestamp, BodyBytes, ExpectedHex));
        Assert.False(CrispHookSignature.Verify(Secret, Timestamp, reserialised, ExpectedHex));
    }

    [Fact]
    public void Verify_SecretRotation_AcceptsOldAndNewSecret()
    {
        const string oldSecret = "old-hook-secret";
        const string newSecret = Secret;
        var signedWithOld = CrispHookSignature.Compute(oldSecret, Timestamp, BodyBytes);

        Assert.True(CrispHookSignature.Verify([newSecret, oldSecret], Timestamp, BodyBytes, signedWithOld));
        Assert.True(CrispHookSignature.Verify([newSecret, oldSecret], Timestamp, BodyBytes, ExpectedHex));
        Assert.False(CrispHookSignature.Verify([newSecret], Timestamp, BodyBytes, signedWithOld));
        Assert.False(CrispHookSignature.Verify(["third-secret", ""], Timestamp, BodyBytes, ExpectedHex));
    }

    [Theory]
    [InlineData(null, ExpectedHex)]
    [InlineData("", ExpectedHex)]
    [InlineData(Timestamp, null)]
    [InlineData(Timestamp, "")]
    public void Verify_MissingHeader_False(string? timestamp, string? signature)
    {
        Assert.False(CrispHookSignature.Verify(Secret, timestamp, BodyBytes, signature));
    }

    [Fact]
    public void Verify_NoSecrets_False()
    {
        Assert.False(CrispHookSignature.Verify(Array.Empty<string>(), Timestamp, BodyBytes, ExpectedHex));
    }
}
