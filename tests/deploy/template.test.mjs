// template.yaml against the code: the routes API Gateway sends are the ones the handlers dispatch,
// the table is the one the store was designed for, the function may do exactly what the store and
// the handlers do, and everything carries the tutorial's App=videoChat tag.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
    assert.equal(fn.Properties.CodeUri, 'build/native/lambda/deploy/videochat-lambda.zip');
    assert.deepEqual(fn.Properties.Architectures, [{ Ref: 'Architecture' }]);
    // arm64 unless the operator says otherwise, as the build's VIDEOCHAT_DEPLOY_ARCH defaults.
    assert.equal(template.Parameters.Architecture.Default, 'arm64');
    assert.deepEqual(template.Parameters.Architecture.AllowedValues, ['arm64', 'x86_64']);
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
                      'AWS::Logs::LogGroup', 'AWS::SNS::Topic'];
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


// Operations: every alarm and dashboard graph names a metric its service really publishes, under
// the dimensions it publishes it with, for a resource of this template; every log group is kept
// for a bounded time; the function's own metrics are the ones the code writes (deployment-facts).
describe('template.yaml: alarms, dashboard, logs', () => {
  const plain = (value) => JSON.parse(JSON.stringify(value));
  const namesOf = (type) => new Set(ofType(type).map((r) => r.name));
  const { metrics: ours } = facts;

  // The services' metrics we use and the dimensions each is published under, from the AWS docs:
  // apigateway-websocket-api-logging.html (WebSocket APIs: ApiId and Stage), Lambda's
  // monitoring-metrics-types.html (FunctionName), DynamoDB's metrics-dimensions.html
  // (ThrottledRequests per TableName and Operation; the capacity and throttle events per table).
  const catalog = {
    'AWS/Lambda': Object.fromEntries(['Invocations', 'Errors', 'Throttles', 'Duration',
                                      'ConcurrentExecutions'].map((n) => [n, ['FunctionName']])),
    'AWS/ApiGateway': Object.fromEntries(['ConnectCount', 'MessageCount', 'IntegrationError',
                                          'ClientError', 'ExecutionError', 'IntegrationLatency']
                                         .map((n) => [n, ['ApiId', 'Stage']])),
    'AWS/DynamoDB': {
      ThrottledRequests: ['TableName', 'Operation'],
      ConsumedReadCapacityUnits: ['TableName'], ConsumedWriteCapacityUnits: ['TableName'],
      ReadThrottleEvents: ['TableName'], WriteThrottleEvents: ['TableName'],
    },
  };
  // The function's own (EMF) metrics: all per function, error responses also per code.
  const ownDimensions = (name) => (name === ours.errorCodeMetric
    ? [ours.functionDimension, ours.errorCodeDimension] : [ours.functionDimension]);
  const operations = facts.dynamodbActions.map((a) => a.replace(/^dynamodb:/, ''));
  // What each dimension's value must be: a Ref to a resource of the right type, or a known word.
  const dimensionValue = {
    FunctionName: (v) => namesOf('AWS::Serverless::Function').has(v?.Ref),
    ApiId: (v) => namesOf('AWS::ApiGatewayV2::Api').has(v?.Ref),
    Stage: (v) => namesOf('AWS::ApiGatewayV2::Stage').has(v?.Ref),
    TableName: (v) => namesOf('AWS::DynamoDB::Table').has(v?.Ref),
    Operation: (v) => operations.includes(v),
    ErrorCode: (v) => ours.errorCodes.includes(v),
  };

  // Problems with one metric reference { namespace, name, dimensions: [{ Name, Value }] }.
  const metricProblems = ({ namespace, name, dimensions }) => {
    const where = `${JSON.stringify(namespace)} ${name}`;
    let wanted;
    if (namespace?.Ref === 'MetricsNamespace') {
      if (!ours.names.includes(name)) return [`${where}: the function writes no such metric`];
      wanted = ownDimensions(name);
    } else {
      wanted = catalog[namespace]?.[name];
      if (!wanted) return [`${where}: not a metric of the catalog`];
    }
    const problems = [];
    const given = dimensions.map((d) => d.Name);
    if (JSON.stringify([...given].sort()) !== JSON.stringify([...wanted].sort())) {
      problems.push(`${where}: dimensions ${given} where it is published with ${wanted}`);
    }
    for (const { Name, Value } of dimensions) {
      if (dimensionValue[Name] && !dimensionValue[Name](Value)) {
        problems.push(`${where}: ${Name} = ${JSON.stringify(Value)} names nothing in the template`);
      }
    }
    return problems;
  };

  // Each alarm's metrics: its one metric, or the MetricStats of its metric math.
  const alarms = ofType('AWS::CloudWatch::Alarm').map((a) => ({ ...a, Properties: plain(a.Properties) }));
  const alarmMetrics = (alarm) => {
    const p = alarm.Properties;
    if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: p.Dimensions ?? [] }];
    return p.Metrics.filter((m) => m.MetricStat).map(({ MetricStat: { Metric: m } }) => (
      { namespace: m.Namespace, name: m.MetricName, dimensions: m.Dimensions ?? [] }));
  };

  test('the metric checker itself refuses wrong names, dimensions and values', () => {
    const fn = { Name: 'FunctionName', Value: { Ref: 'SignalingFunction' } };
    assert.deepEqual(metricProblems({ namespace: 'AWS/Lambda', name: 'Errors', dimensions: [fn] }), []);
    assert.equal(metricProblems({ namespace: 'AWS/Lambda', name: 'Error', dimensions: [fn] }).length, 1);
    assert.equal(metricProblems({ namespace: 'AWS/Lambda', name: 'Errors',
                                  dimensions: [{ Name: 'Function', Value: fn.Value }] }).length, 1);
    assert.equal(metricProblems({ namespace: 'AWS/Lambda', name: 'Errors',
                                  dimensions: [{ Name: 'FunctionName', Value: { Ref: 'RoomsTable' } }] }).length, 1);
    // API Gateway's WebSocket metrics are per stage too: ApiId alone matches no published series.
    assert.equal(metricProblems({ namespace: 'AWS/ApiGateway', name: 'IntegrationError',
                                  dimensions: [{ Name: 'ApiId', Value: { Ref: 'SignalingApi' } }] }).length, 1);
    assert.equal(metricProblems({ namespace: { Ref: 'MetricsNamespace' }, name: 'Gone', dimensions: [fn] }).length, 1);
    assert.equal(metricProblems({ namespace: { Ref: 'MetricsNamespace' }, name: 'ErrorResponses',
                                  dimensions: [fn, { Name: 'ErrorCode', Value: 'OOPS' }] }).length, 1);
  });

  test('every alarm names real metrics, with the dimensions they are published under, of resources here', () => {
    assert.ok(alarms.length > 0);
    for (const alarm of alarms) {
      for (const metric of alarmMetrics(alarm)) {
        assert.deepEqual(metricProblems(metric), [], alarm.name);
      }
    }
  });

  test('alarms cover the function, the API, the table and gone connections, and notify the topic', () => {
    const covered = new Set(alarms.flatMap(alarmMetrics).map((m) => (
      `${m.namespace?.Ref === 'MetricsNamespace' ? 'own' : m.namespace} ${m.name}`)));
    for (const wanted of ['AWS/Lambda Errors', 'AWS/Lambda Throttles', 'AWS/ApiGateway IntegrationError',
                          'AWS/ApiGateway ExecutionError', 'AWS/DynamoDB ThrottledRequests',
                          'own GoneConnections']) {
      assert.ok(covered.has(wanted), `an alarm on ${wanted}`);
    }
    const [topic] = namesOf('AWS::SNS::Topic');
    for (const alarm of alarms) {
      assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: topic }], `${alarm.name} notifies`);
      assert.deepEqual(alarm.Properties.OKActions, [{ Ref: topic }], `${alarm.name} says when it is over`);
      assert.equal(alarm.Properties.TreatMissingData, 'notBreaching',
                   `${alarm.name}: no data (no traffic, no throttling) is no alarm`);
      assert.match(alarm.Properties.AlarmDescription, /docs\/aws\.md#alarms/, `${alarm.name} says where to read on`);
      const threshold = alarm.Properties.Threshold;
      if (threshold.Ref) assert.equal(template.Parameters[threshold.Ref].Type, 'Number');
    }
  });

  test('the throttled-requests alarm adds up every operation the store makes', () => {
    const throttles = alarms.find((a) => alarmMetrics(a).some((m) => m.name === 'ThrottledRequests'));
    const summed = alarmMetrics(throttles).map((m) => m.dimensions.find((d) => d.Name === 'Operation').Value);
    assert.deepEqual(summed.sort(), [...operations].sort());
    const queries = throttles.Properties.Metrics;
    const [result, ...others] = queries.filter((q) => q.ReturnData !== false);
    assert.equal(others.length, 0, 'one time series is compared with the threshold');
    const named = result.Expression.match(/[A-Za-z]\w*/g).filter((id) => id !== 'SUM');
    assert.deepEqual(named.sort(), queries.filter((q) => q.MetricStat).map((q) => q.Id).sort());
  });

  test('the alarm email is optional: a subscription only when an address is given', () => {
    const { AlarmEmail } = template.Parameters;
    assert.equal(AlarmEmail.Default, '');
    const pattern = new RegExp(AlarmEmail.AllowedPattern);
    for (const good of ['', 'ops@example.org']) assert.match(good, pattern);
    for (const bad of ['ops', 'two words@example.org', 'a@b, c@d']) assert.doesNotMatch(bad, pattern);
    assert.deepEqual(plain(template.Conditions.HasAlarmEmail),
                     { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] });
    const subscriptions = ofType('AWS::SNS::Subscription');
    assert.equal(subscriptions.length, 1);
    assert.equal(subscriptions[0].Condition, 'HasAlarmEmail');
    assert.deepEqual(subscriptions[0].Properties.Endpoint, { Ref: 'AlarmEmail' });
    assert.equal(subscriptions[0].Properties.Protocol, 'email');
  });

  test('the metrics namespace is a parameter that reaches the function, CloudWatch\'s rules enforced', () => {
    const { MetricsNamespace } = template.Parameters;
    assert.equal(MetricsNamespace.Default, ours.defaultNamespace);
    const [fn] = ofType('AWS::Serverless::Function');
    assert.deepEqual(fn.Properties.Environment.Variables[ours.namespaceVariable], { Ref: 'MetricsNamespace' });
    const pattern = new RegExp(MetricsNamespace.AllowedPattern);
    for (const good of [ours.defaultNamespace, 'video-chat/production', 'a'.repeat(255)]) {
      assert.match(good, pattern);
    }
    for (const bad of ['', 'AWS/Lambda', 'a'.repeat(256), 'video$chat']) assert.doesNotMatch(bad, pattern);
  });

  test('every log group is kept for the LogRetentionDays parameter, and the function logs into its own', () => {
    const { LogRetentionDays } = template.Parameters;
    // The values CloudWatch Logs accepts (PutRetentionPolicy).
    const accepted = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653];
    assert.ok(plain(LogRetentionDays.AllowedValues).every((d) => accepted.includes(d)));
    assert.ok(plain(LogRetentionDays.AllowedValues).includes(LogRetentionDays.Default));
    const groups = ofType('AWS::Logs::LogGroup');
    for (const group of groups) {
      assert.deepEqual(group.Properties.RetentionInDays, { Ref: 'LogRetentionDays' }, `${group.name} expires`);
    }
    // Lambda writes to /aws/lambda/<name>; were that group not here, Lambda would make one that
    // is kept forever.
    const groupNames = groups.map((g) => g.Properties.LogGroupName?.['Fn::Sub']);
    for (const fn of namesOf('AWS::Serverless::Function')) {
      assert.ok(groupNames.includes(`/aws/lambda/\${${fn}}`), `${fn} has its log group here`);
    }
    // API Gateway's access and execution logs would create groups of their own (and need an
    // account-wide role): none is configured, so none exists without a retention.
    for (const stage of ofType('AWS::ApiGatewayV2::Stage')) {
      assert.equal(stage.Properties.AccessLogSettings, undefined, 'access logs would need a group here');
      assert.equal(stage.Properties.DefaultRouteSettings.LoggingLevel, undefined);
      assert.equal(stage.Properties.DefaultRouteSettings.DataTraceEnabled, undefined);
    }
  });

  describe('the dashboard', () => {
    const [dashboard] = ofType('AWS::CloudWatch::Dashboard');
    const source = dashboard.Properties.DashboardBody['Fn::Sub'];
    const substituted = [...source.matchAll(/\$\{([^}!]+)\}/g)].map((m) => m[1]);
    // Every ${X} as {{X}}, so the body parses as JSON and each reference can be told apart.
    const body = JSON.parse(source.replace(/\$\{([^}!]+)\}/g, '{{$1}}'));
    const reference = (text) => {
      const m = /^\{\{([^}]+)\}\}$/.exec(text);
      return m ? { Ref: m[1] } : text;
    };
    const graphs = body.widgets.filter((w) => w.type === 'metric');
    const shown = graphs.flatMap((w) => w.properties.metrics).filter((m) => typeof m[0] === 'string')
      .map((m) => {
        const [namespace, name, ...rest] = m.filter((part) => typeof part === 'string');
        const dimensions = [];
        for (let i = 0; i < rest.length; i += 2) dimensions.push({ Name: rest[i], Value: reference(rest[i + 1]) });
        return { namespace: reference(namespace), name, dimensions };
      });
    const searches = graphs.flatMap((w) => w.properties.metrics)
      .filter((m) => typeof m[0] === 'object').map((m) => m[0].expression);

    test('substitutes only parameters, resources, alarm ARNs and the region', () => {
      const known = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources),
                             'AWS::Region']);
      for (const name of substituted) {
        const [resource, attribute] = name.split('.');
        assert.ok(known.has(resource), `\${${name}} names nothing in the template`);
        if (attribute) assert.equal(template.Resources[resource].Type, 'AWS::CloudWatch::Alarm');
      }
    });

    test('graphs real metrics of the template\'s resources', () => {
      assert.ok(shown.length > 0);
      for (const metric of shown) assert.deepEqual(metricProblems(metric), []);
      for (const widget of graphs) assert.equal(widget.properties.region, '{{AWS::Region}}');
    });

    test('shows connections, messages, the function, the table and every metric the function writes', () => {
      const names = new Set(shown.map((m) => `${m.namespace?.Ref === 'MetricsNamespace' ? 'own' : m.namespace} ${m.name}`));
      for (const wanted of ['AWS/ApiGateway ConnectCount', 'AWS/ApiGateway MessageCount',
                            'AWS/Lambda Duration', 'AWS/Lambda Errors', 'AWS/Lambda Throttles',
                            'AWS/Lambda ConcurrentExecutions', 'AWS/DynamoDB ConsumedReadCapacityUnits',
                            'AWS/DynamoDB ConsumedWriteCapacityUnits', 'AWS/DynamoDB ThrottledRequests']) {
        assert.ok(names.has(wanted), `the dashboard shows ${wanted}`);
      }
      // Error responses have a series per code: one search finds them all.
      assert.equal(searches.length, 1);
      assert.match(searches[0], new RegExp(`\\{"\\{\\{MetricsNamespace\\}\\}",${ours.errorCodeDimension},${ours.functionDimension}\\}`));
      assert.match(searches[0], new RegExp(`MetricName="${ours.errorCodeMetric}"`));
      assert.match(searches[0], /FunctionName="\{\{SignalingFunction\}\}"/);
      for (const name of ours.names.filter((n) => n !== ours.errorCodeMetric)) {
        assert.ok(names.has(`own ${name}`), `the dashboard shows ${name}`);
      }
    });

    test('lists every alarm', () => {
      const listed = body.widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms);
      assert.deepEqual(listed.sort(), alarms.map((a) => `{{${a.name}.Arn}}`).sort());
    });
  });

  // cfn-lint checks every property against CloudFormation's resource schemas. Debian 12 does not
  // package it (pip install cfn-lint); where it is missing, the checks above stand alone.
  test('cfn-lint finds nothing wrong, and would', (t) => {
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if (version.error) {
      t.skip('cfn-lint is not installed (not in Debian 12: pip install cfn-lint); the structural ' +
             'checks above are the template\'s only checks here');
      return;
    }
    t.diagnostic(version.stdout.trim());
    const lint = spawnSync('cfn-lint', [path.join(ROOT, 'template.yaml')], { encoding: 'utf8' });
    assert.equal(lint.status, 0, `cfn-lint:\n${lint.stdout}${lint.stderr}`);
    // The same template with one alarm's operator misspelt: cfn-lint must say so.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'template-'));
    try {
      const broken = path.join(dir, 'template.yaml');
      writeFileSync(broken, readFileSync(path.join(ROOT, 'template.yaml'), 'utf8')
        .replace('ComparisonOperator: GreaterThanOrEqualToThreshold', 'ComparisonOperator: AtLeast'));
      const refused = spawnSync('cfn-lint', [broken], { encoding: 'utf8' });
      assert.notEqual(refused.status, 0, 'cfn-lint refuses a misspelt ComparisonOperator');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
