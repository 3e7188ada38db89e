// template.yaml against the code: the routes API Gateway sends are the ones the handlers dispatch,
// the table is the one the store was designed for, the function may do exactly what the store and
// the handlers do, and everything carries the tutorial's App=videoChat tag.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// CloudFormation's short-form intrinsic functions, kept as { Ref: ... } / { 'Fn::Sub': ... }.
const shortForm = (tag, name, split = false) => ({
  tag, identify: () => false,
  resolve: (value) => ({ [name]: split && typeof value === 'string' ? value.split('.') : value }),
});
const customTags = [
  shortForm('!Ref', 'Ref'), shortForm('!Sub', 'Fn::Sub'), shortForm('!GetAtt', 'Fn::GetAtt', true),
  shortForm('!Join', 'Fn::Join'), shortForm('!If', 'Fn::If'), shortForm('!Equals', 'Fn::Equals'),
  shortForm('!Select', 'Fn::Select'), shortForm('!Split', 'Fn::Split'), shortForm('!Not', 'Fn::Not'),
  shortForm('!And', 'Fn::And'), shortForm('!Condition', 'Condition'),
];
const collectionTags = customTags.map((t) => ({ ...t, collection: 'seq' }))
  .concat(customTags.map((t) => ({ ...t, collection: 'map' })));
const template = parse(readFileSync(path.join(ROOT, 'template.yaml'), 'utf8'),
                       { customTags: [...customTags, ...collectionTags] });
const facts = JSON.parse(execFileSync(process.env.DEPLOYMENT_FACTS, { encoding: 'utf8' }));
const resources = Object.entries(template.Resources);
const ofType = (type) => resources.filter(([, r]) => r.Type === type).map(([name, r]) => ({ name, ...r }));

describe('template.yaml', () => {
  test('defines exactly the routes the handlers dispatch, all on the handlers\' integration', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    assert.deepEqual(routes.map((r) => r.Properties.RouteKey).sort(), [...facts.routes].sort());
    for (const route of routes) {
      assert.match(route.Properties.Target['Fn::Sub'], /^integrations\/\$\{SignalingIntegration\}$/);
    }
  });

  test('is a WebSocket API selecting routes by $request.body.action, deployed to a stage', () => {
    const [api] = ofType('AWS::ApiGatewayV2::Api');
    assert.equal(api.Properties.ProtocolType, 'WEBSOCKET');
    assert.equal(api.Properties.RouteSelectionExpression, '$request.body.action');
    const [integration] = ofType('AWS::ApiGatewayV2::Integration');
    assert.equal(integration.Properties.IntegrationType, 'AWS_PROXY');
    const [stage] = ofType('AWS::ApiGatewayV2::Stage');
    assert.equal(stage.Properties.AutoDeploy, true);
    assert.deepEqual(stage.Properties.StageName, { Ref: 'StageName' });
  });

  test('declares the table the DynamoDB store was designed for: keys, billing, TTL', () => {
    const [table] = ofType('AWS::DynamoDB::Table');
    const wanted = facts.table;
    assert.deepEqual(table.Properties.KeySchema, wanted.KeySchema);
    assert.deepEqual(table.Properties.AttributeDefinitions, wanted.AttributeDefinitions);
    assert.equal(table.Properties.BillingMode, wanted.BillingMode);
    assert.deepEqual(table.Properties.TimeToLiveSpecification,
                     facts.timeToLive.TimeToLiveSpecification);
  });

  test('runs the zip on provided.al2023 with the table and capacity in its environment', () => {
    const [fn] = ofType('AWS::Serverless::Function');
    assert.equal(fn.Properties.Runtime, 'provided.al2023');
    assert.equal(fn.Properties.CodeUri, 'build/native/lambda/videochat-lambda.zip');
    assert.deepEqual(fn.Properties.Architectures, ['x86_64']);
    const vars = fn.Properties.Environment.Variables;
    assert.deepEqual(vars.VIDEOCHAT_TABLE, { Ref: 'RoomsTable' });
    assert.deepEqual(vars.VIDEOCHAT_ROOM_CAPACITY, { Ref: 'RoomCapacity' });
  });

  test('passes the resume secret from a NoEcho parameter at least as long as the function demands', () => {
    const [fn] = ofType('AWS::Serverless::Function');
    const { variable, minBytes } = facts.resumeSecret;
    const vars = fn.Properties.Environment.Variables;
    assert.ok(vars[variable]?.Ref, `${variable} is set from a parameter`);
    const parameter = template.Parameters[vars[variable].Ref];
    assert.equal(parameter.Type, 'String');
    assert.equal(parameter.NoEcho, true, 'the secret is never shown by CloudFormation');
    assert.ok(parameter.MinLength >= minBytes, `MinLength ${parameter.MinLength} >= ${minBytes}`);
    assert.equal(parameter.Default, undefined, 'no default: a default secret would be public');
  });

  test('the stage throttling and the reserved concurrency are parameters that reach their resources',
       () => {
    const [stage] = ofType('AWS::ApiGatewayV2::Stage');
    assert.deepEqual(stage.Properties.DefaultRouteSettings, {
      ThrottlingBurstLimit: { Ref: 'ThrottlingBurstLimit' },
      ThrottlingRateLimit: { Ref: 'ThrottlingRateLimit' },
    });
    for (const name of ['ThrottlingBurstLimit', 'ThrottlingRateLimit']) {
      assert.equal(template.Parameters[name].Type, 'Number');
      assert.ok(template.Parameters[name].MinValue >= 1, `${name} cannot stop all traffic`);
    }
    const [fn] = ofType('AWS::Serverless::Function');
    // Unset by default: an account with a low concurrency quota cannot reserve any.
    assert.equal(template.Parameters.ReservedConcurrency.Default, 0);
    // (Flow sequences under a short-form tag parse as YAML nodes: compared as JSON.)
    const plain = (value) => JSON.parse(JSON.stringify(value));
    assert.deepEqual(plain(fn.Properties.ReservedConcurrentExecutions), {
      'Fn::If': ['HasReservedConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }],
    });
    assert.deepEqual(plain(template.Conditions.HasReservedConcurrency), {
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ReservedConcurrency' }, 0] }],
    });
  });

  test('asks for the pages that may connect, with no default that would admit every page', () => {
    const [fn] = ofType('AWS::Serverless::Function');
    const vars = fn.Properties.Environment.Variables;
    assert.deepEqual(vars.VIDEOCHAT_ALLOWED_ORIGINS, { Ref: 'AllowedOrigins' });
    const parameter = template.Parameters.AllowedOrigins;
    assert.equal(parameter.Default, undefined, 'the operator names the client\'s origin');
    assert.ok(parameter.MinLength >= 1, 'an empty list is refused at deploy time');
  });

  test('grants the function exactly the DynamoDB calls the store makes, on this table only', () => {
    const [fn] = ofType('AWS::Serverless::Function');
    const statements = fn.Properties.Policies.flatMap((p) => p.Statement);
    const dynamodb = statements.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
    assert.deepEqual(dynamodb.flatMap((s) => s.Action).sort(), [...facts.dynamodbActions].sort());
    for (const s of dynamodb) assert.deepEqual(s.Resource, { 'Fn::GetAtt': ['RoomsTable', 'Arn'] });
  });

  test('allows @connections calls on this API and stage only, and no wildcard action anywhere', () => {
    const [fn] = ofType('AWS::Serverless::Function');
    // (A statement under !If is its second element; flow sequences under a tag parse as YAML
    // nodes, hence the JSON round trip.)
    const turnStatements = JSON.parse(JSON.stringify(
      ofType('AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement)))
      .map((s) => s['Fn::If']?.[1] ?? s);
    const statements = fn.Properties.Policies.flatMap((p) => p.Statement).concat(turnStatements);
    assert.ok(turnStatements.length > 0, 'the TURN policy\'s statements are checked too');
    for (const s of statements) {
      for (const action of s.Action) assert.doesNotMatch(action, /\*/, `action ${action}`);
      const resourcesOf = [s.Resource].flat();
      for (const resource of resourcesOf) {
        assert.notEqual(resource, '*');
        const text = resource['Fn::Sub'] ?? '';
        if (s.Action.includes('execute-api:ManageConnections')) {
          assert.match(text, /\$\{SignalingApi\}\/\$\{StageName\}\/(POST|DELETE)\/@connections\/\*$/);
        }
      }
    }
  });

  test('tags everything taggable with App=videoChat', () => {
    const taggable = ['AWS::DynamoDB::Table', 'AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage',
                      'AWS::Logs::LogGroup'];
    for (const [name, resource] of resources.filter(([, r]) => taggable.includes(r.Type))) {
      const tags = resource.Properties.Tags;
      const app = Array.isArray(tags) ? tags.find((t) => t.Key === 'App')?.Value : tags?.App;
      assert.equal(app, 'videoChat', `${name} is tagged`);
    }
    assert.equal(template.Globals.Function.Tags.App, 'videoChat');
  });

  test('lets API Gateway invoke the function, and outputs the wss:// URL', () => {
    const [permission] = ofType('AWS::Lambda::Permission');
    assert.equal(permission.Properties.Principal, 'apigateway.amazonaws.com');
    assert.match(template.Outputs.SignalingUrl.Value['Fn::Sub'], /^wss:\/\//);
  });
});

// The TURN relay on AWS: URLs and the SSM SecureString's name as parameters (never the secret),
// nothing at all without them, and a role that may read exactly that parameter.
describe('template.yaml: the TURN relay', () => {
  const plain = (value) => JSON.parse(JSON.stringify(value));
  const [fn] = ofType('AWS::Serverless::Function');
  const vars = plain(fn.Properties.Environment.Variables);

  test('takes the URLs, the secret parameter\'s name and the lifetime, empty by default', () => {
    const { TurnUrls, TurnSecretParameter, TurnCredentialLifetime } = template.Parameters;
    assert.equal(TurnUrls.Default, '');
    assert.equal(TurnSecretParameter.Default, '');
    assert.equal(TurnSecretParameter.NoEcho, undefined, 'a name, not a secret');
    assert.equal(TurnCredentialLifetime.Type, 'Number');
    assert.equal(TurnCredentialLifetime.Default, facts.turn.defaultLifetimeS);
    assert.equal(TurnCredentialLifetime.MinValue, 1);
    assert.equal(TurnCredentialLifetime.MaxValue, facts.turn.maxLifetimeS);
    // CloudFormation checks the patterns at deploy time; these are what they must take and refuse.
    const urls = new RegExp(TurnUrls.AllowedPattern);
    for (const good of ['', 'turn:relay.example.org:3478?transport=udp',
                        'turn:a.example.org:3478?transport=udp,turns:a.example.org:443?transport=tcp']) {
      assert.match(good, urls);
    }
    for (const bad of ['stun:a.example.org', 'turn:a, turn:b', 'turn:a,', 'https://a']) {
      assert.doesNotMatch(bad, urls);
    }
    const name = new RegExp(TurnSecretParameter.AllowedPattern);
    assert.match('/videochat/turn-secret', name);
    assert.match('', name);
    for (const bad of ['videochat/turn-secret', '/a b', '/a//b', 'arn:aws:ssm:x']) {
      assert.doesNotMatch(bad, name);
    }
  });

  test('passes the variables the function reads only when given, and no secret', () => {
    const { urlsVariable, secretParameterVariable, lifetimeVariable } = facts.turn;
    assert.deepEqual(vars[urlsVariable],
                     { 'Fn::If': ['HasTurnUrls', { Ref: 'TurnUrls' }, { Ref: 'AWS::NoValue' }] });
    assert.deepEqual(vars[secretParameterVariable], {
      'Fn::If': ['HasTurnSecretParameter', { Ref: 'TurnSecretParameter' }, { Ref: 'AWS::NoValue' }],
    });
    assert.deepEqual(vars[lifetimeVariable], {
      'Fn::If': ['HasTurnUrls', { Ref: 'TurnCredentialLifetime' }, { Ref: 'AWS::NoValue' }],
    });
    assert.ok(!Object.keys(vars).some((name) => /TURN_SECRET$/.test(name)),
              'the secret is read from SSM, never passed as a variable');
    const conditions = plain(template.Conditions);
    assert.deepEqual(conditions.HasTurnUrls, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'TurnUrls' }, ''] }] });
    assert.deepEqual(conditions.HasTurnSecretParameter,
                     { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'TurnSecretParameter' }, ''] }] });
    assert.deepEqual(conditions.HasTurnRelay, {
      'Fn::And': [{ Condition: 'HasTurnUrls' }, { Condition: 'HasTurnSecretParameter' }],
    });
  });

  test('lets the function\'s role read exactly that parameter, and only with a relay', () => {
    const policies = ofType('AWS::IAM::Policy');
    assert.equal(policies.length, 1);
    const [policy] = policies;
    assert.equal(policy.Condition, 'HasTurnRelay');
    assert.deepEqual(plain(policy.Properties.Roles), [{ Ref: `${fn.name}Role` }],
                     'the role SAM makes for the function');
    const [read, decrypt, ...others] = plain(policy.Properties.PolicyDocument.Statement);
    assert.equal(others.length, 0);
    assert.equal(read.Effect, 'Allow');
    assert.deepEqual(read.Action, facts.turn.ssmActions);
    assert.deepEqual(read.Resource, {
      'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${TurnSecretParameter}',
    });
    // The account's aws/ssm key needs no grant; a customer managed key is used through SSM only.
    const [condition, statement, otherwise] = decrypt['Fn::If'];
    assert.equal(condition, 'HasTurnSecretKmsKey');
    assert.deepEqual(otherwise, { Ref: 'AWS::NoValue' });
    assert.deepEqual(statement.Action, ['kms:Decrypt']);
    assert.deepEqual(statement.Resource, { Ref: 'TurnSecretKmsKeyArn' });
    assert.deepEqual(statement.Condition,
                     { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' } } });
  });

  test('says in its description what the operator creates first', () => {
    assert.match(template.Description, /aws ssm put-parameter --type SecureString --name \/videochat\/turn-secret/);
  });
});

