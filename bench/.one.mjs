const b = await import(process.argv[2]);
console.log('==', b.name);
await b.run();
