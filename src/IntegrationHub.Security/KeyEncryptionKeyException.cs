namespace IntegrationHub.Security;

/// <summary>
/// A key-encryption-key provider failed to wrap, unwrap or look up a key. The message names the provider, the
/// operation and the key id, never key material.
/// </summary>
public sealed class KeyEncryptionKeyException : Exception
{
    public KeyEncryptionKeyException()
    {
    }

    public KeyEncryptionKeyException(string message)
        : base(message)
    {
    }

    public KeyEncryptionKeyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public KeyEncryptionKeyException(string message, int? statusCode, string? errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>HTTP status returned by a remote key service, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>Error code returned by a remote key service (for example Key Vault's <c>Forbidden</c>), when there was one.</summary>
    public string? ErrorCode { get; }
}
