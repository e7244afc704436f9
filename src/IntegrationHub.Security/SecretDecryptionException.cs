namespace IntegrationHub.Security;

/// <summary>Why a secret could not be decrypted. Says nothing about the secret itself.</summary>
public enum SecretDecryptionFailure
{
    /// <summary>The text does not start with a known version prefix.</summary>
    UnsupportedFormat,

    /// <summary>The prefix is known but the payload is not valid base64 or is too short.</summary>
    Malformed,

    /// <summary>The authentication tag did not verify: tampered data, another tenant or field, or the wrong key.</summary>
    AuthenticationFailed,
}

/// <summary>
/// A stored secret could not be decrypted. The message never contains plaintext, ciphertext or key material.
/// </summary>
public sealed class SecretDecryptionException : Exception
{
    public SecretDecryptionException()
        : this(SecretDecryptionFailure.AuthenticationFailed)
    {
    }

    public SecretDecryptionException(string message)
        : base(message)
    {
    }

    public SecretDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SecretDecryptionException(SecretDecryptionFailure reason, Exception? innerException = null)
        : base(DescribeFailure(reason), innerException)
    {
        Reason = reason;
    }

    public SecretDecryptionFailure Reason { get; } = SecretDecryptionFailure.AuthenticationFailed;

    private static string DescribeFailure(SecretDecryptionFailure reason) => reason switch
    {
        SecretDecryptionFailure.UnsupportedFormat => "The secret could not be decrypted: its format or version prefix is not supported.",
        SecretDecryptionFailure.Malformed => "The secret could not be decrypted: its payload is malformed.",
        _ => "The secret could not be decrypted: authentication failed (tampered data, another tenant or field, or the wrong data key).",
    };
}
