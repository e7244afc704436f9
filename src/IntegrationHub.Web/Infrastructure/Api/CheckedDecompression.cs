using Microsoft.AspNetCore.RequestDecompression;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>
/// A request body that does not decode as its Content-Encoding says is the client's error. The framework's
/// decompression streams throw <see cref="InvalidDataException"/> (gzip, deflate) or
/// <see cref="InvalidOperationException"/> (br) from the reader's first read, which answered 500; wrapped, they throw
/// <see cref="UndecodableBodyException"/>, a 400 wherever the body is read.
/// </summary>
public static class CheckedDecompression
{
    /// <summary>Wraps every registered provider (gzip, br, deflate).</summary>
    public static void Wrap(RequestDecompressionOptions options)
    {
        foreach (var (coding, provider) in options.DecompressionProviders.ToList())
        {
            options.DecompressionProviders[coding] = new Provider(coding, provider);
        }
    }

    private sealed class Provider(string coding, IDecompressionProvider inner) : IDecompressionProvider
    {
        public Stream GetDecompressionStream(Stream stream) => new CheckedStream(coding, inner.GetDecompressionStream(stream));
    }

    private sealed class CheckedStream(string coding, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
            {
                throw new UndecodableBodyException(coding, e);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
            {
                throw new UndecodableBodyException(coding, e);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>The request body is not valid data of its Content-Encoding (a 400, see <see cref="CheckedDecompression"/>).</summary>
public sealed class UndecodableBodyException(string coding, Exception inner)
    : BadHttpRequestException($"The body is not valid {coding} data (Content-Encoding: {coding}).", StatusCodes.Status400BadRequest, inner);
