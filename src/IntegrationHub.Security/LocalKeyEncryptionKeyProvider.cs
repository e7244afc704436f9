using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Security;

/// <summary>
/// Key-encryption keys kept in a local key-ring file (JSON, owner-only permissions). The ring has one current key
/// that wraps new data keys and keeps every older key for unwrap; <see cref="RotateAsync"/> adds a new current key.
/// A wrapped data key is <c>nonce[12] | AES-256-GCM(kek, dataKey) | tag[16]</c>, with the KEK id bound as associated
/// data.
/// </summary>
/// <remarks>
/// The file is created on first use (directory too, mode 0700; file mode 0600 on Unix). Writes take an exclusive
/// lock on <c>{KeyPath}.lock</c> and replace the file atomically, so several processes sharing a data directory
/// neither race on creation nor lose a key on rotation. A ring changed by another process is re-read when seen.
/// </remarks>
public sealed class LocalKeyEncryptionKeyProvider : IKeyEncryptionKeyProvider, IDisposable
{
    private const int KeySizeInBytes = 32;
    private const int NonceSizeInBytes = 12;
    private const int TagSizeInBytes = 16;
    private const int FileFormatVersion = 1;
    private static readonly byte[] AssociatedDataLabel = "IntegrationHub.LocalKek.v1"u8.ToArray();
    private static readonly TimeSpan FileLockTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KeyRing? _ring;
    private FileStamp _loadedStamp;
    private bool _disposed;

    public LocalKeyEncryptionKeyProvider(
        string keyPath,
        TimeProvider? timeProvider = null,
        ILogger<LocalKeyEncryptionKeyProvider>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        KeyPath = Path.GetFullPath(keyPath);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string ProviderName => KeyEncryptionKeyProviderNames.Local;

    /// <summary>Full path of the key-ring file.</summary>
    public string KeyPath { get; }

    public async Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        if (dataKey.IsEmpty)
        {
            throw new ArgumentException("The data key is empty.", nameof(dataKey));
        }

        var ring = await GetRingAsync(cancellationToken);
        var current = ring.Current;
        var wrapped = new byte[NonceSizeInBytes + dataKey.Length + TagSizeInBytes];
        var nonce = wrapped.AsSpan(0, NonceSizeInBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(current.Key, TagSizeInBytes))
        {
            aes.Encrypt(
                nonce,
                dataKey.Span,
                wrapped.AsSpan(NonceSizeInBytes, dataKey.Length),
                wrapped.AsSpan(NonceSizeInBytes + dataKey.Length, TagSizeInBytes),
                BuildAssociatedData(current.Id));
        }

        return new WrappedKey(ProviderName, current.Id, wrapped);
    }

    public async Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!string.Equals(wrapped.ProviderName, ProviderName, StringComparison.Ordinal))
        {
            throw new KeyEncryptionKeyException(
                $"The data key was wrapped by the '{wrapped.ProviderName}' provider, not by '{ProviderName}'.");
        }

        var ring = await GetRingAsync(cancellationToken);
        if (!ring.Keys.ContainsKey(wrapped.KeyId))
        {
            // Another process may have rotated since this one loaded the ring.
            ring = await ReloadAsync(cancellationToken);
        }

        if (!ring.Keys.TryGetValue(wrapped.KeyId, out var kek))
        {
            throw new KeyEncryptionKeyException(
                $"Local key-encryption key '{wrapped.KeyId}' is not in the key ring at '{KeyPath}'.");
        }

        var bytes = wrapped.Ciphertext.Span;
        if (bytes.Length <= NonceSizeInBytes + TagSizeInBytes)
        {
            throw new KeyEncryptionKeyException(
                $"The data key wrapped under local key '{wrapped.KeyId}' is malformed.");
        }

        var dataKeyLength = bytes.Length - NonceSizeInBytes - TagSizeInBytes;
        var dataKey = new byte[dataKeyLength];
        try
        {
            using var aes = new AesGcm(kek.Key, TagSizeInBytes);
            aes.Decrypt(
                bytes[..NonceSizeInBytes],
                bytes.Slice(NonceSizeInBytes, dataKeyLength),
                bytes.Slice(NonceSizeInBytes + dataKeyLength, TagSizeInBytes),
                dataKey,
                BuildAssociatedData(kek.Id));
            return dataKey;
        }
        catch (CryptographicException ex)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            throw new KeyEncryptionKeyException(
                $"The data key wrapped under local key '{wrapped.KeyId}' could not be unwrapped: authentication failed.", ex);
        }
    }

    public async Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default) =>
        (await GetRingAsync(cancellationToken)).Current.Id;

    /// <summary>The ids of every key in the ring, oldest first (the last one is current).</summary>
    public async Task<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) =>
        (await GetRingAsync(cancellationToken)).Order;

    /// <summary>
    /// Creates a new random KEK and makes it current. Older keys stay in the ring so data keys wrapped under them
    /// still unwrap; re-wrap them with <see cref="KeyEncryptionKeyProviderExtensions.RewrapAsync"/>.
    /// </summary>
    /// <returns>The id of the new current key.</returns>
    public async Task<string> RotateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var fileLock = await AcquireFileLockAsync(cancellationToken);
            if (!File.Exists(KeyPath) && _ring is not null)
            {
                throw new KeyEncryptionKeyException(
                    $"The key ring file '{KeyPath}' has disappeared; restore it before rotating.");
            }

            var ring = File.Exists(KeyPath) ? ReadRing() : null;
            var newKey = CreateKey();
            var updated = ring is null ? KeyRing.Create(newKey) : ring.WithNewCurrent(newKey);
            WriteRing(updated);
            SetRing(updated);
            _logger.LogInformation(
                "Rotated the local key-encryption key ring at {KeyPath}: new current key {KeyId}, {KeyCount} keys kept.",
                KeyPath, newKey.Id, updated.Order.Count);
            return newKey.Id;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override string ToString() => $"LocalKeyEncryptionKeyProvider {{ KeyPath = {KeyPath}, Keys = [redacted] }}";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ring?.Clear();
        _gate.Dispose();
    }

    private async Task<KeyRing> GetRingAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ring = _ring;
        if (ring is not null && !IsStale())
        {
            return ring;
        }

        return await ReloadAsync(cancellationToken);
    }

    private async Task<KeyRing> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(KeyPath))
            {
                SetRing(ReadRing());
            }
            else if (_ring is null)
            {
                using var fileLock = await AcquireFileLockAsync(cancellationToken);
                if (File.Exists(KeyPath))
                {
                    SetRing(ReadRing());
                }
                else
                {
                    var key = CreateKey();
                    var ring = KeyRing.Create(key);
                    WriteRing(ring);
                    SetRing(ring);
                    _logger.LogInformation(
                        "Created the local key-encryption key ring at {KeyPath} with key {KeyId}.", KeyPath, key.Id);
                }
            }
            else
            {
                _logger.LogError(
                    "The local key ring file {KeyPath} has disappeared; keeping the keys already loaded. Restore the file from backup.",
                    KeyPath);
                _loadedStamp = FileStamp.Of(KeyPath);
            }

            return _ring!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsStale() => FileStamp.Of(KeyPath) != _loadedStamp;

    private void SetRing(KeyRing ring)
    {
        if (!ReferenceEquals(_ring, ring))
        {
            // Old arrays may still be in use by a concurrent wrap; let them be collected rather than zeroed.
            _ring = ring;
        }

        _loadedStamp = FileStamp.Of(KeyPath);
    }

    private LocalKek CreateKey()
    {
        var id = _timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)
                 + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return new LocalKek(id, _timeProvider.GetUtcNow(), RandomNumberGenerator.GetBytes(KeySizeInBytes));
    }

    private KeyRing ReadRing()
    {
        WarnIfPermissive();
        var bytes = File.ReadAllBytes(KeyPath);
        try
        {
            var document = JsonSerializer.Deserialize<KeyRingDocument>(bytes, JsonOptions)
                           ?? throw InvalidRing("the file is empty");
            if (document.Version != FileFormatVersion)
            {
                throw InvalidRing($"format version {document.Version} is not supported");
            }

            if (document.Keys is not { Count: > 0 })
            {
                throw InvalidRing("it holds no keys");
            }

            var keys = new List<LocalKek>(document.Keys.Count);
            foreach (var entry in document.Keys)
            {
                if (string.IsNullOrWhiteSpace(entry.Id) || entry.Key is not { Length: KeySizeInBytes })
                {
                    throw InvalidRing("a key entry has no id or is not 256 bits");
                }

                keys.Add(new LocalKek(entry.Id, entry.CreatedAt, entry.Key));
            }

            return KeyRing.FromKeys(keys, document.CurrentKeyId) ?? throw InvalidRing("the current key id is missing or ids repeat");
        }
        catch (JsonException ex)
        {
            throw new KeyEncryptionKeyException($"The local key ring at '{KeyPath}' is not valid JSON.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private KeyEncryptionKeyException InvalidRing(string reason) =>
        new($"The local key ring at '{KeyPath}' is invalid: {reason}.");

    private void WriteRing(KeyRing ring)
    {
        var document = new KeyRingDocument
        {
            Version = FileFormatVersion,
            CurrentKeyId = ring.Current.Id,
            Keys = ring.Order.Select(id => ring.Keys[id])
                .Select(k => new KeyEntry { Id = k.Id, CreatedAt = k.CreatedAt, Key = k.Key })
                .ToList(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions);
        var tempPath = $"{KeyPath}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        try
        {
            using (var stream = new FileStream(tempPath, OwnerOnlyFileOptions(FileMode.CreateNew, FileAccess.Write)))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tempPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(tempPath, KeyPath, overwrite: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            if (File.Exists(tempPath))
            {
                File.Delete(tempPath);
            }
        }
    }

    private async Task<FileStream> AcquireFileLockAsync(CancellationToken cancellationToken)
    {
        EnsureDirectory();
        var lockPath = KeyPath + ".lock";
        var deadline = _timeProvider.GetUtcNow() + FileLockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, OwnerOnlyFileOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite));
            }
            catch (IOException) when (_timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _timeProvider, cancellationToken);
            }
        }
    }

    private void EnsureDirectory()
    {
        var directory = Path.GetDirectoryName(KeyPath)!;
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(
                directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static FileStreamOptions OwnerOnlyFileOptions(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private void WarnIfPermissive()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode groupOrOther =
            UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(KeyPath);
        if ((mode & groupOrOther) != 0)
        {
            _logger.LogWarning(
                "The local key ring {KeyPath} is readable or writable by other users (mode {Mode}); restrict it to the owner (0600).",
                KeyPath, Convert.ToString((int)mode, 8));
        }
    }

    private static byte[] BuildAssociatedData(string keyId)
    {
        var idBytes = Encoding.UTF8.GetBytes(keyId);
        var result = new byte[AssociatedDataLabel.Length + 4 + idBytes.Length];
        AssociatedDataLabel.CopyTo(result, 0);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(AssociatedDataLabel.Length), idBytes.Length);
        idBytes.CopyTo(result, AssociatedDataLabel.Length + 4);
        return result;
    }

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : default;
        }
    }

    private sealed record LocalKek(string Id, DateTimeOffset CreatedAt, byte[] Key)
    {
        public override string ToString() => $"LocalKek {{ Id = {Id}, Key = [redacted] }}";
    }

    private sealed class KeyRing
    {
        private KeyRing(IReadOnlyDictionary<string, LocalKek> keys, IReadOnlyList<string> order, LocalKek current)
        {
            Keys = keys;
            Order = order;
            Current = current;
        }

        public IReadOnlyDictionary<string, LocalKek> Keys { get; }

        public IReadOnlyList<string> Order { get; }

        public LocalKek Current { get; }

        public static KeyRing Create(LocalKek key) =>
            new(new Dictionary<string, LocalKek>(StringComparer.Ordinal) { [key.Id] = key }, [key.Id], key);

        public static KeyRing? FromKeys(IReadOnlyList<LocalKek> keys, string? currentKeyId)
        {
            var byId = new Dictionary<string, LocalKek>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (!byId.TryAdd(key.Id, key))
                {
                    return null;
                }
            }

            if (currentKeyId is null || !byId.TryGetValue(currentKeyId, out var current))
            {
                return null;
            }

            // Current key last, so Order reads oldest to newest with the current key at the end.
            var order = keys.Select(k => k.Id).Where(id => id != currentKeyId).Append(currentKeyId).ToList();
            return new KeyRing(byId, order, current);
        }

        public KeyRing WithNewCurrent(LocalKek key)
        {
            var byId = new Dictionary<string, LocalKek>(Keys, StringComparer.Ordinal) { [key.Id] = key };
            return new KeyRing(byId, [.. Order, key.Id], key);
        }

        public void Clear()
        {
            foreach (var key in Keys.Values)
            {
                CryptographicOperations.ZeroMemory(key.Key);
            }
        }

        public override string ToString() => $"KeyRing {{ Current = {Current.Id}, Keys = [redacted] }}";
    }

    private sealed class KeyRingDocument
    {
        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("currentKeyId")]
        public string? CurrentKeyId { get; set; }

        [JsonPropertyName("keys")]
        public List<KeyEntry>? Keys { get; set; }
    }

    private sealed class KeyEntry
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("createdAt")]
        public DateTimeOffset CreatedAt { get; set; }

        [JsonPropertyName("key")]
        public byte[]? Key { get; set; }
    }
}
