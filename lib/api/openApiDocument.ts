/**
 * The OpenAPI 3.0 description of this app's HTTP API, served at `/api/swagger.json` for API
 * Management to import. `serverUrl` is the app's base URL including the route prefix.
 */
export function openApiDocument(serverUrl: string): object {
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const text = (description: string) => ({ type: 'string', maxLength: 256, description });
  const options = {
    reason: text('Reason of the signature (/Reason).'),
    location: text('Location of the signature (/Location).'),
    contactInfo: text('Contact information of the signer (/ContactInfo).'),
    fieldName: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      description: 'Signature field name; a free name is chosen when it is taken. Default Seal1.',
    },
    timestamp: {
      type: 'boolean',
      default: false,
      description: 'Ask the signing service for an RFC 3161 timestamp.',
    },
    subFilter: { type: 'string', enum: ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'] },
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'sealops seal-pdf API',
      version: '1.0.0',
      description:
        'Applies a digital seal to PDFs. Only the SHA-256 digest of the signed byte ranges leaves ' +
        'the app; the signing service returns a CMS signature that is embedded as an incremental ' +
        'update, so the original bytes and earlier signatures stay intact.',
    },
    servers: [{ url: serverUrl }],
    security: [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    paths: {
      '/seal-pdf': {
        post: {
          operationId: 'sealPdf',
          summary: 'Seal a PDF (direct mode, up to 50 MB).',
          parameters: Object.entries(options).map(([name, schema]) => ({
            name,
            in: 'query',
            required: false,
            schema,
            description: 'For application/pdf bodies; JSON bodies carry the options inline.',
          })),
          requestBody: {
            required: true,
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'application/json': { schema: { $ref: '#/components/schemas/SealRequest' } },
            },
          },
          responses: {
            '200': {
              description: 'The sealed PDF: the original bytes followed by the signature update.',
              headers: {
                'x-seal-key-id': {
                  description: 'Signing API key ID that made the seal.',
                  schema: { type: 'string' },
                },
              },
              content: {
                'application/pdf': { schema: { type: 'string', format: 'binary' } },
                'application/json': { schema: { $ref: '#/components/schemas/SealResponse' } },
              },
            },
            '400': errorResponse('Invalid request or not a PDF.'),
            '401': { description: 'Missing or invalid function key.' },
            '413': errorResponse('The PDF is larger than direct mode accepts.'),
            '415': errorResponse('Content type is neither application/pdf nor JSON.'),
            '422': errorResponse('The PDF is damaged or encrypted.'),
            '502': errorResponse('The signing service refused the key or answered badly.'),
            '503': errorResponse('The signing service is unavailable.'),
            '504': errorResponse('The signing service did not answer in time.'),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness probe.',
          security: [],
          responses: {
            '200': {
              description: 'The app is up.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { status: { type: 'string', enum: ['ok'] } },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
      schemas: {
        SealRequest: {
          type: 'object',
          required: ['pdf'],
          additionalProperties: false,
          properties: {
            pdf: { type: 'string', format: 'byte', description: 'The PDF, base64.' },
            ...options,
          },
        },
        SealResponse: {
          type: 'object',
          properties: {
            pdf: { type: 'string', format: 'byte', description: 'The sealed PDF, base64.' },
            keyId: { type: 'string' },
            fieldName: { type: 'string' },
            sizeBytes: { type: 'integer' },
          },
        },
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'invocationId'],
              properties: {
                code: { type: 'string', example: 'PDF_ENCRYPTED' },
                message: { type: 'string' },
                invocationId: { type: 'string' },
              },
            },
          },
        },
      },
    },
  };
}
